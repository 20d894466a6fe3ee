/**
 * A tiny request/response protocol over Node's IPC channel, shared by the parent (bench/run) and
 * its children (apps, load generator, micro-benchmark). A schema maps method names to their
 * argument and result; every child also answers the built-in stop request.
 */
export type RpcSchema = Record<string, { arg: unknown; result: unknown }>;

export type RpcHandlers<S extends RpcSchema> = {
  [K in keyof S]: (arg: S[K]['arg']) => S[K]['result'] | Promise<S[K]['result']>;
};

export interface RpcRequest {
  readonly id: number;
  readonly method: string;
  readonly arg: unknown;
}

export type RpcReply =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly error: string };

export interface ReadyMessage {
  readonly ready: true;
  readonly info: unknown;
}

/** The method every child answers: finish cleanly (so `--cpu-prof` writes its profile), then exit. */
export const STOP_METHOD = '__stop';

export function isRpcRequest(message: unknown): message is RpcRequest {
  return (
    typeof message === 'object' &&
    message !== null &&
    typeof (message as Partial<RpcRequest>).id === 'number' &&
    typeof (message as Partial<RpcRequest>).method === 'string'
  );
}

export function isRpcReply(message: unknown): message is RpcReply {
  return (
    typeof message === 'object' &&
    message !== null &&
    typeof (message as Partial<RpcReply>).id === 'number' &&
    typeof (message as Partial<RpcReply>).ok === 'boolean'
  );
}

export function isReadyMessage(message: unknown): message is ReadyMessage {
  return (
    typeof message === 'object' &&
    message !== null &&
    (message as Partial<ReadyMessage>).ready === true
  );
}
