import type { IncomingMessage } from 'node:http';
import type { Options } from 'pino-http';
import type { LogLevelName } from '../config/scale-config';
import { fastifyRequestOf } from './fastify-request-link';
import { requestIdOf } from './request-id';

/** Credentials never reach a log line: these headers are replaced by REDACTED. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.dpop',
  'req.headers["proxy-authorization"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
];
export const REDACTED = '[Redacted]';

type LoggedRequest = IncomingMessage & {
  id?: unknown;
  originalUrl?: string;
  user?: { clientId?: unknown };
  route?: { path?: unknown; methods?: object };
};

/**
 * Express's route pattern. Nest mounts middleware with `app.all` (a route for every method), which
 * Express leaves in `req.route` when no handler matched (a 404): not the request's route. Each of
 * the sample's handlers takes one method.
 */
function expressRouteOf(request: LoggedRequest): unknown {
  const { path, methods } = request.route ?? {};
  return methods && Object.keys(methods).length === 1 ? path : undefined;
}

/**
 * pino-http settings of the sample: one JSON line per request with its id (X-Request-Id, echoed),
 * the partner's client id when authenticated, the route pattern, the status and the duration
 * (`responseTime`, ms). The URL is logged without its query string (a token could sit there), and
 * credential headers are redacted.
 */
export function requestLogOptions(level: LogLevelName): Options<LoggedRequest> {
  return {
    level,
    // Express only: on Fastify the id is Fastify's, generated the same way (fastify-request-link.ts).
    genReqId: (request, response) => {
      const id = requestIdOf(request.headers);
      response.setHeader('X-Request-Id', id);
      return id;
    },
    customProps: (request, response) => {
      const fastify = fastifyRequestOf(request);
      const clientId = (fastify ?? request).user?.clientId;
      // Also called when the request starts, before any route is known.
      const route = response.writableEnded
        ? fastify
          ? fastify.routeOptions?.url
          : expressRouteOf(request)
        : undefined;
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
