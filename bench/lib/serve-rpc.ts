import { isRpcRequest, STOP_METHOD, type RpcHandlers, type RpcReply, type RpcSchema } from './rpc';

/**
 * Child side of the protocol: answers the parent's requests with `handlers`, tells the parent it
 * is ready, and exits when asked to stop or when the parent goes away (so no child outlives a
 * crashed or interrupted run).
 */
export function serveRpc<S extends RpcSchema>(
  handlers: RpcHandlers<S>,
  readyInfo: unknown,
  onStop: () => Promise<void> = () => Promise.resolve(),
): void {
  const send = process.send?.bind(process);
  if (!send) throw new Error('This script runs as a child of bench/run (it needs an IPC channel).');
  process.on('disconnect', () => {
    process.exit(0);
  });
  process.on('message', (message: unknown) => {
    if (!isRpcRequest(message)) return;
    const reply = (body: RpcReply): void => {
      if (process.connected) send(body);
    };
    if (message.method === STOP_METHOD) {
      onStop().then(
        () => {
          reply({ id: message.id, ok: true, value: null });
          // Let the reply flush, then exit normally (--cpu-prof writes its file on a normal exit).
          setImmediate(() => process.exit(0));
        },
        (error: unknown) => {
          reply({ id: message.id, ok: false, error: describe(error) });
          setImmediate(() => process.exit(1));
        },
      );
      return;
    }
    const handler = (handlers as Record<string, ((arg: unknown) => unknown) | undefined>)[
      message.method
    ];
    if (!handler) {
      reply({ id: message.id, ok: false, error: `unknown method ${message.method}` });
      return;
    }
    Promise.resolve()
      .then(() => handler(message.arg))
      .then(
        (value: unknown) => {
          reply({ id: message.id, ok: true, value });
        },
        (error: unknown) => {
          reply({ id: message.id, ok: false, error: describe(error) });
        },
      );
  });
  send({ ready: true, info: readyInfo });
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
