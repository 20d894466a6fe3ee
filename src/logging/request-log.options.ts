import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Options } from 'pino-http';
import type { LogLevelName } from '../config/scale-config';

/** Credentials never reach a log line: these headers are replaced by REDACTED. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.dpop',
  'req.headers["proxy-authorization"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
];
export const REDACTED = '[Redacted]';

/** An incoming X-Request-Id is kept when it is this plain (it lands in logs and a header). */
const REQUEST_ID = /^[\w.-]{1,64}$/;

type LoggedRequest = IncomingMessage & {
  id?: unknown;
  originalUrl?: string;
  user?: { clientId?: unknown };
  route?: { path?: unknown };
};

/**
 * pino-http settings of the sample: one JSON line per request with its id (X-Request-Id, echoed),
 * the partner's client id when authenticated, the route pattern, the status and the duration
 * (`responseTime`, ms). The URL is logged without its query string (a token could sit there), and
 * credential headers are redacted.
 */
export function requestLogOptions(level: LogLevelName): Options<LoggedRequest> {
  return {
    level,
    genReqId: (request, response) => {
      const incoming = request.headers['x-request-id'];
      const id =
        typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
      response.setHeader('X-Request-Id', id);
      return id;
    },
    customProps: (request, response) => {
      const clientId = request.user?.clientId;
      // Also called when the request starts, when `route` is still the logging middleware's own.
      const route = response.writableEnded ? request.route?.path : undefined;
      return {
        ...(typeof clientId === 'string' ? { clientId } : {}),
        ...(typeof route === 'string' ? { route } : {}),
      };
    },
    customLogLevel: (_request, response, error) =>
      error !== undefined || response.statusCode >= 500 ? 'error' : 'info',
    serializers: {
      req: (request: { id?: unknown; method?: unknown; url?: unknown; headers?: unknown }) => ({
        id: request.id,
        method: request.method,
        url: typeof request.url === 'string' ? request.url.split('?')[0] : undefined,
        headers: request.headers,
      }),
    },
    redact: { paths: REDACTED_PATHS, censor: REDACTED },
  };
}
