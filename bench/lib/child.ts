import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpus } from 'node:os';
import { createInterface } from 'node:readline';
import type { RpcMessage, RpcSchema } from './rpc';

/** The server under test runs alone on core 0; autocannon and this process on core 1. */
export const SERVER_CORE = 0;
export const CLIENT_CORE = 1;

/** Pins every thread of this process to `core`; false where taskset or a second core is missing. */
export function pinSelf(core: number): boolean {
  const args = ['-a', '-p', '-c', String(core), String(process.pid)];
  return cpus().length >= 2 && spawnSync('taskset', args, { stdio: 'ignore' }).status === 0;
}

const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const proc of live) proc.kill('SIGKILL');
});

/**
 * A Node child (pinned to `core` with taskset, unless undefined) that answers calls (serveRpc).
 * Its stdout is dropped but for WARN and ERROR lines (Nest logs start-up there).
 */
export class Child<S extends RpcSchema> {
  private nextId = 1;
  private readonly pending = new Map<number, (message: RpcMessage) => void>();

  private constructor(
    readonly name: string,
    private readonly proc: ChildProcess,
  ) {
    proc.on('message', (message: RpcMessage) => {
      if (message.id !== undefined) this.pending.get(message.id)?.(message);
    });
    proc.once('exit', (code) => {
      live.delete(proc);
      for (const settle of this.pending.values()) settle({ error: `exited (code ${code})` });
    });
  }

  /** Starts `node <nodeArgs>` and resolves once the child reports ready, with what it reported. */
  static async start<S extends RpcSchema>(
    name: string,
    nodeArgs: readonly string[],
    core: number | undefined,
  ): Promise<{ child: Child<S>; ready: unknown }> {
    const [command, args] =
      core === undefined
        ? [process.execPath, nodeArgs]
        : ['taskset', ['-c', String(core), process.execPath, ...nodeArgs]];
    const proc = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
    live.add(proc);
    createInterface({ input: proc.stdout ?? process.stdin }).on('line', (line) => {
      if (/\b(WARN|ERROR)\b/.test(line)) console.error(`[${name}] ${line}`);
    });
    const child = new Child<S>(name, proc);
    try {
      const ready = await new Promise((resolve, reject) => {
        setTimeout(() => {
          reject(new Error(`${name} was not ready within 60 s`));
        }, 60_000).unref();
        proc.on('message', (message: RpcMessage) => {
          if (message.ready !== undefined) resolve(message.ready);
        });
        proc.once('exit', (code) => {
          reject(new Error(`${name} exited before it was ready (code ${code})`));
        });
      });
      return { child, ready };
    } catch (error) {
      proc.kill('SIGKILL');
      throw error;
    }
  }

  /** Calls `method` in the child; rejects after `timeoutMs` or when the child exits. */
  call<K extends keyof S & string>(
    method: K,
    arg: S[K]['arg'],
    timeoutMs = 30_000,
  ): Promise<S[K]['result']> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.name}: ${method} took over ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, (message) => {
        clearTimeout(timer);
        this.pending.delete(id);
        if (message.error === undefined) resolve(message.result);
        else reject(new Error(`${this.name}: ${message.error}`));
      });
      this.proc.send({ id, method, arg }, (error) => {
        if (error) this.pending.get(id)?.({ error: error.message });
      });
    });
  }

  /** Asks the child to close and exit; kills it after 15 s. */
  async stop(): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    const exited = new Promise((resolve) => this.proc.once('exit', resolve));
    const kill = setTimeout(() => this.proc.kill('SIGKILL'), 15_000);
    this.proc.send({ method: 'stop' }, () => undefined);
    await exited;
    clearTimeout(kill);
  }
}
