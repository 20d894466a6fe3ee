import { spawn, type ChildProcess } from 'node:child_process';
import { nodeCommand } from './pinning';
import { isReadyMessage, isRpcReply, STOP_METHOD, type RpcReply, type RpcSchema } from './rpc';

const live = new Set<ChildProcess>();
let cleanupInstalled = false;

/** Kill every child still running when this process exits, is interrupted, or crashes. */
export function installChildCleanup(): void {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  process.on('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      process.exit(130);
    });
  }
}

export interface ChildOptions {
  /** Shown in errors. */
  readonly name: string;
  /** The compiled script to run. */
  readonly script: string;
  readonly args?: readonly string[];
  /** Pin to this core (with taskset, where available). */
  readonly core?: number;
  /** Node flags, e.g. `--cpu-prof`. */
  readonly execArgv?: readonly string[];
  /** How long the child may take to say it is ready. @default 60000 */
  readonly readyTimeoutMs?: number;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/** A child Node process that answers RPC calls of schema S (see serveRpc). */
export class Child<S extends RpcSchema> {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private exitError: Error | undefined;
  private readonly exited: Promise<void>;

  private constructor(
    readonly name: string,
    private readonly proc: ChildProcess,
  ) {
    this.exited = new Promise((resolve) => {
      proc.once('exit', (code, signal) => {
        live.delete(proc);
        this.exitError = new Error(`${name} exited (code ${code ?? '-'}, signal ${signal ?? '-'})`);
        for (const [id, pending] of this.pending) {
          clearTimeout(pending.timer);
          pending.reject(this.exitError);
          this.pending.delete(id);
        }
        resolve();
      });
    });
    proc.on('message', (message: unknown) => {
      if (isRpcReply(message)) this.settle(message);
    });
  }

  /** Starts the child and waits for its ready message; resolves with what it reported. */
  static async start<S extends RpcSchema>(
    options: ChildOptions,
  ): Promise<{ child: Child<S>; info: unknown }> {
    const { command, args } = nodeCommand(options.core, [
      ...(options.execArgv ?? []),
      options.script,
      ...(options.args ?? []),
    ]);
    const spawned = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    live.add(spawned);
    const child = new Child<S>(options.name, spawned);
    const info = await new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`${options.name} was not ready in time`));
      }, options.readyTimeoutMs ?? 60_000);
      spawned.on('message', (message: unknown) => {
        if (!isReadyMessage(message)) return;
        clearTimeout(timer);
        resolve(message.info);
      });
      spawned.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${options.name} exited before it was ready (code ${code ?? '-'})`));
      });
      spawned.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    }).catch((error: unknown) => {
      spawned.kill('SIGKILL');
      throw error;
    });
    return { child, info };
  }

  get pid(): number | undefined {
    return this.proc.pid;
  }

  call<K extends keyof S & string>(
    method: K,
    arg: S[K]['arg'],
    timeoutMs = 30_000,
  ): Promise<S[K]['result']> {
    return this.request(method, arg, timeoutMs);
  }

  /** Asks the child to finish and exit; kills it if it has not within `timeoutMs`. */
  async stop(timeoutMs = 15_000): Promise<void> {
    if (this.exitError) return;
    const deadline = setTimeout(() => this.proc.kill('SIGKILL'), timeoutMs);
    try {
      await this.request(STOP_METHOD, null, timeoutMs).catch(() => undefined);
      await this.exited;
    } finally {
      clearTimeout(deadline);
    }
  }

  private request(method: string, arg: unknown, timeoutMs: number): Promise<unknown> {
    if (this.exitError) return Promise.reject(this.exitError);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.name}: ${method} took longer than ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      this.proc.send({ id, method, arg });
    });
  }

  private settle(reply: RpcReply): void {
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    this.pending.delete(reply.id);
    clearTimeout(pending.timer);
    if (reply.ok) pending.resolve(reply.value);
    else pending.reject(new Error(`${this.name}: ${reply.error}`));
  }
}
