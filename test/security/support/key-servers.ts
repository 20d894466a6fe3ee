import { publicJwk } from '../../../src/oauth-jwt/testing/internal/test-keys';
import { reply, TestHttpServer } from '../../../src/oauth-jwt/testing/internal/test-http-server';
import { KID } from './constants';
import type { SecurityKeys } from './keys';

export const JWKS_PATH = '/jwks.json';

/**
 * The issuer's JWKS at JWKS_PATH: its RSA 2048 and EC P-256 keys, plus entries that must never
 * verify a token: the same RSA key marked `use: enc`, the same RSA key pinned to PS256, an RSA
 * 1024 key and an RSA 2048 key with public exponent 3.
 */
export async function startJwksServer(keys: SecurityKeys): Promise<TestHttpServer> {
  const server = await TestHttpServer.start();
  return server.route(
    JWKS_PATH,
    reply.json({
      keys: [
        publicJwk(keys.issuerRsa, { kid: KID.rsa, use: 'sig', alg: 'RS256' }),
        publicJwk(keys.issuerRsa, { kid: KID.rsaEnc, use: 'enc' }),
        publicJwk(keys.issuerRsa, { kid: KID.rsaPs, use: 'sig', alg: 'PS256' }),
        publicJwk(keys.issuerEc, { kid: KID.ec, use: 'sig', alg: 'ES256' }),
        publicJwk(keys.weakRsa, { kid: KID.weakRsa, use: 'sig', alg: 'RS256' }),
        publicJwk(keys.lowExponentRsa, { kid: KID.lowExponentRsa, use: 'sig', alg: 'RS256' }),
      ],
    }),
  );
}

/**
 * The attacker's server: answers any path with a JWKS of the attacker's keys (or their certificate
 * for `/cert.pem`), so that if the app ever followed `jku`, `x5u` or `iss`, it would find keys
 * there. The security tests assert it receives no request at all.
 */
export async function startAttackerServer(keys: SecurityKeys): Promise<TestHttpServer> {
  const pem = `-----BEGIN CERTIFICATE-----\n${keys.attackerCertificate.toString('base64')}\n-----END CERTIFICATE-----\n`;
  const server = await TestHttpServer.start();
  return server
    .route('/cert.pem', reply.text(pem, 200, 'application/pem-certificate-chain'))
    .otherwise(
      reply.json({
        keys: [
          publicJwk(keys.attackerRsa, { kid: KID.attackerRsa, use: 'sig', alg: 'RS256' }),
          publicJwk(keys.attackerRsa, { kid: KID.rsa, use: 'sig', alg: 'RS256' }),
          publicJwk(keys.attackerEc, { kid: KID.attackerEc, use: 'sig', alg: 'ES256' }),
        ],
      }),
    );
}
