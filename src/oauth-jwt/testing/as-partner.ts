import type { TestIssuer } from './test-issuer';
import type { TestTokenOptions } from './test-issuer-options.interface';

/** Anything with supertest's `set(field, value)`: an agent (`request(server)`) or one request. */
export interface HeaderSetter {
  set(field: string, value: string): unknown;
}

/**
 * Makes `target` send `Authorization: Bearer <token>`, the token minted by `issuer` for the
 * partner `clientId` with `scopes` (and `options`, e.g. extra claims). Given a supertest agent
 * (`request.agent(server)`), every request it makes carries the header; given one request
 * (`request(server).get('/users')`), that request does:
 *
 * ```ts
 * const partnerA = asPartner(request.agent(app.getHttpServer()), issuer, 'partner-a', ['list:users']);
 * await partnerA.get('/users').expect(200);
 * ```
 *
 * Nothing here loads supertest: it stays your dev dependency.
 */
export function asPartner<T extends HeaderSetter>(
  target: T,
  issuer: TestIssuer,
  clientId: string,
  scopes: readonly string[] = [],
  options: TestTokenOptions = {},
): T {
  return withBearer(target, issuer.token({ ...options, sub: clientId, scopes }));
}

/** Makes `target` (a supertest agent or request) send `Authorization: Bearer <token>`: any token, hostile ones too. */
export function withBearer<T extends HeaderSetter>(target: T, token: string): T {
  // `request(server)` itself has no set(): it is a bag of methods, not an agent.
  if (typeof (target as Partial<HeaderSetter>).set !== 'function') {
    throw new TypeError(
      'asPartner()/withBearer() need a supertest agent (request.agent(server)) or a request ' +
        "(request(server).get('/path'))",
    );
  }
  target.set('Authorization', `Bearer ${token}`);
  return target;
}
