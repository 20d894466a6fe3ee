import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** An incoming X-Request-Id is kept when it is this plain (it lands in logs and a header). */
const REQUEST_ID = /^[\w.-]{1,64}$/;

/** The request's id: its own X-Request-Id when plain enough, otherwise a fresh UUID. */
export function requestIdOf(headers: IncomingHttpHeaders): string {
  const incoming = headers['x-request-id'];
  return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}
