import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { HealthController } from '../../src/health/health.controller';
import { HttpAdapterHost } from '@nestjs/core';
import {
  BearerTokenExceptionFilter,
  JwtAuthGuard,
  ScopesGuard,
  isBearerTokenException,
} from '../../src/oauth-jwt';
import { AuthEventsService } from '../../src/oauth-jwt/events/auth-events.service';
import { OAUTH_JWT_RESOLVED_OPTIONS } from '../../src/oauth-jwt/oauth-jwt.constants';
import { UsersController } from '../../src/users/users.controller';
import { KID } from './support/constants';
import { expectAccepted, expectRefusal } from './support/assertions';
import { segmentsOf, signJws, unsignedJws } from '../../src/oauth-jwt/testing';
import { claims, header } from './support/token-template';
import { findLeaks } from './support/leak-detector';
import { REFUSAL, refusalProblems } from './support/refusals';
import { useSecurityHarness, type SecurityHarness } from './support/security-harness';

/**
 * Part 4: what the API sends back and prints while it is attacked. Requests here are chosen to
 * provoke every library failure message (jsonwebtoken's "jwt malformed", "invalid signature",
 * "jwt expired", ..., JSON.parse's SyntaxError, Node's parser errors), so that one leaking into a
 * response or a log line would be caught; then guards are run in non-HTTP execution contexts.
 */
describe('Security: response and log hygiene', () => {
  let h: SecurityHarness;

  useSecurityHarness((started) => (h = started));

  describe('the leak detector itself (so the hygiene checks cannot pass vacuously)', () => {
    it('flags a 20-character fragment of a token, a stack frame, a library message and key material', () => {
      const token = h.token();
      const pem = h.keys.issuerRsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      const outputs = [
        { where: 'fragment', text: `refused: …${token.slice(40, 61)}…` },
        { where: 'stack', text: 'Error: x\n    at Object.<anonymous> (/app/x.js:1:1)' },
        { where: 'library', text: 'JsonWebTokenError: jwt malformed' },
        { where: 'key', text: pem.split('\n')[3] ?? '' },
        { where: 'clean', text: 'refused GET /users status=401 reason=bad_signature' },
      ];
      const leaks = findLeaks(outputs, [token, pem]);
      expect([...new Set(leaks.map((leak) => leak.where))].sort()).toEqual([
        'fragment',
        'key',
        'library',
        'stack',
      ]);
    });

    it('sees what the app logs (the refusal log line of a bad signature is captured)', async () => {
      const [h0, p0] = segmentsOf(h.token());
      const [, , other] = segmentsOf(h.token({ claims: { sub: 'partner-b' } }));
      expectRefusal(await h.bearer(`${h0}.${p0}.${other}`), REFUSAL.badSignature);
      expect(h.printedLines().some((line) => line.includes('reason=bad_signature'))).toBe(true);
    });
  });

  describe('inputs that provoke every library failure message', () => {
    const attackerSigner = () => ({ alg: 'RS256' as const, key: h.keys.attackerRsa.privateKey });

    it.each<[string, () => string, keyof typeof REFUSAL]>([
      [
        'jsonwebtoken "jwt malformed" shape (2 segments)',
        () => segmentsOf(h.token()).slice(0, 2).join('.'),
        'malformedToken',
      ],
      ['"invalid signature"', () => h.token({ signer: attackerSigner() }), 'badSignature'],
      ['"jwt signature is required"', () => unsignedJws(header(), claims()), 'malformedToken'],
      ['"jwt expired"', () => h.token({ claims: { exp: 1 } }), 'expired'],
      ['"jwt not active"', () => h.token({ claims: { nbf: 4_000_000_000 } }), 'notYetValid'],
      [
        '"invalid algorithm" (HS256)',
        () => signJws(header({ alg: 'HS256' }), claims(), { alg: 'HS256', secret: 'k' }),
        'unsupportedAlgorithm',
      ],
      [
        '"jwt audience invalid. expected: …"',
        () => h.token({ claims: { aud: 'https://other.test' } }),
        'badAudience',
      ],
      [
        '"jwt issuer invalid. expected: …"',
        () => h.token({ claims: { iss: 'https://other.test' } }),
        'badIssuer',
      ],
      ['"invalid exp value"', () => h.token({ claims: { exp: 'x' } }), 'badClaim'],
      ['"invalid nbf value"', () => h.token({ claims: { nbf: 'x' } }), 'badClaim'],
      [
        'an unknown kid (jwks-rsa SigningKeyNotFoundError)',
        () => h.token({ header: { kid: 'no-such-kid' } }),
        'unknownKid',
      ],
      [
        'JSON.parse SyntaxError in the header',
        () => `eyJhbGciOiJSUzI1NiIs.${segmentsOf(h.token())[1]}.${segmentsOf(h.token())[2]}`,
        'malformedToken',
      ],
    ])('%s: the exact refusal, nothing more', async (_label, token, reason) => {
      expectRefusal(await h.bearer(token()), REFUSAL[reason]);
    });

    it('a JSON.parse SyntaxError in the payload (typ JWT): 401 invalid_token with a fixed description', async () => {
      const response = await h.bearer(signJws(header({ typ: 'JWT' }), '{"sub":', h.issuerSigner));
      expect(refusalProblems(response, [401])).toEqual([]);
      expect(response.headers['www-authenticate']).toContain('error="invalid_token"');
    });

    it('a token in the query string: 400, and the query never reaches a log line', async () => {
      const token = h.token();
      expectRefusal(await h.send({ path: `/users?access_token=${token}` }), REFUSAL.tokenInQuery);
    });

    it('a token in a form body: 400, and the body never reaches a log line', async () => {
      const response = await h.send({
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `access_token=${h.token()}`,
      });
      expectRefusal(response, REFUSAL.tokenInBody);
    });

    it("a header over Node's limit and a NUL byte: Node's own 431 and 400, nothing logged with the token", async () => {
      const token = h.token();
      expect((await h.raw([`Authorization: Bearer ${token}${'A'.repeat(20_000)}`])).status).toBe(
        431,
      );
      expect((await h.raw([`Authorization: Bearer \u0000${token}`])).status).toBe(400);
    });

    it('an issuer-signed token of an unknown partner: 403, the log names no token', async () => {
      expectRefusal(
        await h.bearer(h.token({ claims: { sub: 'partner-z' } })),
        REFUSAL.unknownPartner,
      );
    });

    it('keeps every refusal log line one line: CR/LF in an (issuer-signed) sub cannot forge log lines (CWE-117)', async () => {
      const sub = 'partner-z\r\n[Nest] 1  - 01/01/2030, 00:00:00   ERROR [Forged] injected line';
      expectRefusal(await h.bearer(h.token({ claims: { sub } })), REFUSAL.unknownPartner);
      const forged = h.printedLines().filter((line) => line.includes('[Forged]'));
      expect(forged.filter((line) => /[\r\n]/.test(line.trimEnd()))).toEqual([]);
    });

    it('left no token fragment, key material, stack trace or library message in any response or log line', () => {
      expect(h.exchangeCount).toBeGreaterThan(15);
      expect(h.hygieneProblems()).toEqual([]);
    });

    it('wrote only RFC 6750 characters in every challenge (checked by the exact refusals above) and serves on', async () => {
      expectAccepted(await h.bearer(h.token()));
    });
  });

  describe('guards in a non-HTTP execution context (WebSocket, RPC, GraphQL): denied, never allowed', () => {
    /** A hand-built context of `type` for a handler, whose first argument looks like an HTTP
     * request with a VALID token: a guard that read it would let the call through. */
    function contextOf(type: string, controller: object, handler: unknown): ExecutionContextHost {
      const request = { headers: { authorization: `Bearer ${h.token()}` }, rawHeaders: [] };
      const context = new ExecutionContextHost(
        [request, {}, {}],
        controller as never,
        handler as () => unknown,
      );
      context.setType(type);
      return context;
    }

    async function refusalOf(action: () => unknown): Promise<unknown> {
      try {
        await action();
      } catch (error) {
        return error;
      }
      return 'allowed';
    }

    it.each(['ws', 'rpc', 'graphql'])(
      'JwtAuthGuard denies a %s call to a protected handler with 403 unsupported_context',
      async (type) => {
        const guard = h.app.get(JwtAuthGuard);
        const context = contextOf(type, UsersController, UsersController.prototype.list);
        const error = await refusalOf(() => guard.canActivate(context));
        expect(isBearerTokenException(error)).toBe(true);
        expect(error).toMatchObject({ reason: 'unsupported_context', status: 403 });
      },
    );

    it.each(['ws', 'rpc'])(
      'JwtAuthGuard denies a %s call even to a @Public() handler',
      async (type) => {
        const guard = h.app.get(JwtAuthGuard);
        const context = contextOf(type, HealthController, HealthController.prototype.check);
        const error = await refusalOf(() => guard.canActivate(context));
        expect(error).toMatchObject({ reason: 'unsupported_context' });
      },
    );

    it.each(['ws', 'rpc'])(
      'ScopesGuard denies a %s call to a scoped handler (no principal)',
      async (type) => {
        const guard = h.app.get(ScopesGuard);
        const context = contextOf(type, UsersController, UsersController.prototype.list);
        const error = await refusalOf(() => guard.canActivate(context));
        expect(isBearerTokenException(error)).toBe(true);
        expect(error).toMatchObject({ reason: 'missing_token' });
      },
    );

    it('BearerTokenExceptionFilter rethrows in a ws context instead of writing an HTTP answer to it', async () => {
      // Registered as APP_FILTER (not retrievable by class): built from the app's own providers.
      const filter = new BearerTokenExceptionFilter(
        h.app.get(HttpAdapterHost),
        h.app.get(OAUTH_JWT_RESOLVED_OPTIONS),
        h.app.get(AuthEventsService),
      );
      const guard = h.app.get(JwtAuthGuard);
      const context = contextOf('ws', UsersController, UsersController.prototype.list);
      const exception = await refusalOf(() => guard.canActivate(context));
      expect(isBearerTokenException(exception)).toBe(true);
      const thrown = await refusalOf(() => {
        filter.catch(exception as never, context);
      });
      expect(thrown).toBe(exception);
    });

    it('the same guards still let the same valid token through over HTTP (control)', async () => {
      expectAccepted(await h.bearer(signJws(header({ kid: KID.rsa }), claims(), h.issuerSigner)));
    });
  });
});
