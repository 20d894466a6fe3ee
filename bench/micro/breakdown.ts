import type { INestApplication } from '@nestjs/common';
import { Agent, get } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpAdapterName } from '../../src/http-adapter';
import { JwtAuthGuard } from '../../src/oauth-jwt';
import { VerifiedTokenCache } from '../../src/oauth-jwt/cache/verified-token.cache';
import { PartnerResolver } from '../../src/oauth-jwt/partner/partner-resolver';
import type { OAuthPrincipal } from '../../src/oauth-jwt/principal.interface';
import { admitOnly } from '../apps/admit-only';
import type { AppSpec } from '../apps/app-spec';
import { createSampleApp } from '../apps/sample-app';
import { BREAKDOWN_VARIANTS, type BreakdownVariant } from '../lib/micro';

const CONNECTIONS = 10;

/**
 * Where the guarded request's extra time goes, on one adapter: the sample app and a keep-alive
 * client in this process, CPU µs per request (client and server) of public `GET /health`, of
 * guarded `GET /partners/me`, and of the guarded route with one step of JwtAuthGuard answered by a
 * constant (the token look-up: no digest, no LRU; the partner look-up; the whole guard, as
 * admit-only.ts). The variants take turns batch by batch, so a difference is that step's cost.
 */
export async function measureBreakdown(
  spec: AppSpec,
  adapter: HttpAdapterName,
  token: string,
  batches: number,
  requests: number,
): Promise<Record<BreakdownVariant, number[]>> {
  const app = await createSampleApp({ ...spec, adapter });
  await app.listen(0, '127.0.0.1');
  try {
    const send = client(app, token);
    await send('/partners/me', requests);
    const steps = await variants(app, () => send('/partners/me', 1));
    const result = Object.fromEntries(BREAKDOWN_VARIANTS.map((name) => [name, [] as number[]]));
    for (let batch = 0; batch < batches; batch += 1) {
      for (const name of BREAKDOWN_VARIANTS) {
        const restore = steps[name]();
        const path = name === 'public' ? '/health' : '/partners/me';
        await send(path, Math.ceil(requests / 10));
        const before = process.cpuUsage();
        await send(path, requests);
        const used = process.cpuUsage(before);
        restore();
        result[name]?.push((used.user + used.system) / requests);
      }
    }
    return result as Record<BreakdownVariant, number[]>;
  } finally {
    await app.close();
  }
}

/** `count` requests to `path`, CONNECTIONS at a time over keep-alive; each must answer 200. */
function client(app: INestApplication, token: string) {
  const { port } = (app.getHttpServer() as { address(): AddressInfo }).address();
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const headers = { authorization: `Bearer ${token}` };
  const one = (path: string) =>
    new Promise<void>((resolve, reject) => {
      get({ host: '127.0.0.1', port, path, agent, headers, timeout: 10_000 }, (response) => {
        response.resume();
        response.on('end', () => {
          if (response.statusCode === 200) resolve();
          else reject(new Error(`${path} answered ${String(response.statusCode)}`));
        });
      }).on('error', reject);
    });
  return async (path: string, count: number): Promise<void> => {
    let left = count;
    const worker = async () => {
      while (left > 0) {
        left -= 1;
        await one(path);
      }
    };
    await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  };
}

type Step = () => () => void;

/** Each variant switches one step to a constant and returns how to switch it back. */
async function variants(
  app: INestApplication,
  sendOne: () => Promise<void>,
): Promise<Record<BreakdownVariant, Step>> {
  const guard = app.get(JwtAuthGuard);
  const tokens = app.get(VerifiedTokenCache);
  const partners = app.get(PartnerResolver);
  const real = guard.canActivate.bind(guard);
  admitOnly(app);
  const admitting = guard.canActivate.bind(guard);
  guard.canActivate = real;
  const swap = <T extends object, K extends keyof T>(target: T, key: K, value: T[K]) => {
    const original = target[key];
    target[key] = value;
    return () => {
      target[key] = original;
    };
  };
  // The principal the token cache answers for the bench token, as one request sees it.
  let principal: OAuthPrincipal | undefined;
  const lookUp = tokens.get.bind(tokens);
  const restore = swap(tokens, 'get', (token: string) => (principal = lookUp(token)));
  await sendOne();
  restore();
  if (!principal) throw new Error('the warm-up cached no token');
  const verdict = partners.resolve(principal);
  if (verdict === undefined || verdict instanceof Promise) {
    throw new Error('the warm-up cached no partner');
  }
  const cached = principal;
  const constantPrincipal = (): OAuthPrincipal => cached;
  return {
    public: () => () => undefined,
    guarded: () => () => undefined,
    'no token look-up': () => swap(tokens, 'get', constantPrincipal),
    // What a cache holding bearer tokens would pay: V8 hashes the whole string to find it.
    'token keyed as it is': () => {
      const byToken = new Map<string, OAuthPrincipal>();
      return swap(tokens, 'get', (token: string) => {
        let found = byToken.get(token);
        if (!found) byToken.set(token, (found = lookUp(token) ?? cached));
        return found;
      });
    },
    'no partner look-up': () => swap(partners, 'resolve', () => verdict),
    'guard only admits': () => swap(guard, 'canActivate', admitting),
  };
}
