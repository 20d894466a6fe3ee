import { subscribe, unsubscribe } from 'node:diagnostics_channel';

/** What node:http and fetch (undici) publish when a request starts. */
interface UndiciRequestCreate {
  request: { origin: string; path: string };
}
interface HttpRequestStart {
  request: { protocol: string; host: string; path: string };
}

export interface OutgoingRequests {
  /** URLs of the requests this process started since the watch began. */
  readonly urls: readonly string[];
  stop(): void;
}

/**
 * Records every outgoing HTTP request of this process (fetch and node:http) through Node's
 * diagnostics channels: observation only, nothing is intercepted or answered.
 */
export function watchOutgoingRequests(): OutgoingRequests {
  const urls: string[] = [];
  const onFetch = (message: unknown) => {
    const { request } = message as UndiciRequestCreate;
    urls.push(`${request.origin}${request.path}`);
  };
  const onHttp = (message: unknown) => {
    const { request } = message as HttpRequestStart;
    urls.push(`${request.protocol}//${request.host}${request.path}`);
  };
  subscribe('undici:request:create', onFetch);
  subscribe('http.client.request.start', onHttp);
  return {
    urls,
    stop() {
      unsubscribe('undici:request:create', onFetch);
      unsubscribe('http.client.request.start', onHttp);
    },
  };
}
