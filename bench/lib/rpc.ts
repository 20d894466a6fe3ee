/** What a child answers: method name → argument and result types. */
export type RpcSchema = Record<string, { arg: unknown; result: unknown }>;

/** Every IPC message between the bench and a child, either way. */
export interface RpcMessage {
  readonly id?: number;
  readonly method?: string;
  readonly arg?: unknown;
  readonly result?: unknown;
  readonly error?: string;
  /** Sent once by the child when it can take calls. */
  readonly ready?: unknown;
}

type Handlers<S extends RpcSchema> = {
  [K in keyof S]: (arg: S[K]['arg']) => S[K]['result'] | Promise<S[K]['result']>;
};

/**
 * Child side: answers the parent's calls with `handlers`, reports `ready`, and on `stop` (or when
 * the parent goes away) runs `close` and exits.
 */
export function serveRpc<S extends RpcSchema>(
  handlers: Handlers<S>,
  ready: unknown,
  close: () => Promise<void> = () => Promise.resolve(),
): void {
  const send = (message: RpcMessage): void => {
    process.send?.(message);
  };
  const exit = (): void => {
    void close()
      .catch(() => undefined)
      .finally(() => process.exit(0));
  };
  process.on('disconnect', exit);
  process.on('message', (message: RpcMessage) => {
    const { id, method } = message;
    if (method === 'stop') {
      exit();
      return;
    }
    const handler = method === undefined ? undefined : handlers[method];
    if (id === undefined || handler === undefined) return;
    Promise.resolve()
      .then(() => handler(message.arg))
      .then(
        (result) => {
          send({ id, result });
        },
        (error: unknown) => {
          send({ id, error: error instanceof Error ? error.message : String(error) });
        },
      );
  });
  send({ ready });
}
