import type { IncomingMessage } from 'node:http';
import { requestIdOf } from './request-id';

/** What the request line reads from Fastify's request: the partner and the route pattern. */
export interface FastifyRequestView {
  readonly id: string;
  readonly raw: IncomingMessage;
  readonly user?: { readonly clientId?: unknown };
  readonly routeOptions?: { readonly url?: unknown };
}

interface FastifyReplyView {
  header(name: string, value: string): unknown;
}

/** The part of Fastify's instance used here (fastify is a dependency of platform-fastify). */
export interface FastifyInstanceView {
  setGenReqId(generate: (raw: IncomingMessage) => string): unknown;
  addHook(
    name: 'onRequest',
    hook: (request: FastifyRequestView, reply: FastifyReplyView, done: () => void) => void,
  ): unknown;
}

const requests = new WeakMap<IncomingMessage, FastifyRequestView>();

/**
 * pino-http sees only Node's request, while on Fastify the partner (`user`) and the route live on
 * Fastify's own request object, and @fastify/middie has already set Node's `id` to Fastify's before
 * pino-http runs (so pino-http's `genReqId` is never called). Here Fastify generates the id as
 * pino-http does on Express, echoes it, and Node's request is linked to Fastify's.
 * Call it before the server starts.
 */
export function linkFastifyRequests(fastify: FastifyInstanceView): void {
  fastify.setGenReqId((raw) => requestIdOf(raw.headers));
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header('X-Request-Id', request.id);
    requests.set(request.raw, request);
    done();
  });
}

/** Fastify's request for Node's `raw` one, on Fastify once linked; undefined on Express. */
export function fastifyRequestOf(raw: IncomingMessage): FastifyRequestView | undefined {
  return requests.get(raw);
}
