import {
  generateKeyPairSync,
  randomUUID,
  sign,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';

/** The issuer's signing key and the public JWKS the bench serves for it. */
export interface IssuerKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly jwks: { readonly keys: readonly JsonWebKey[] };
}

export interface TokenClaims {
  readonly issuer: string;
  readonly audience: string;
  /** The scope string every bench token carries. */
  readonly scope: string;
}

/** A 2048-bit RSA key with a `kid`, made with node:crypto. */
export function createIssuerKey(): IssuerKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = `bench-${randomUUID().slice(0, 8)}`;
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' };
  return { kid, privateKey, jwks: { keys: [jwk] } };
}

/**
 * An RS256 access token (RFC 9068 shape: typ at+jwt, iss, aud, sub, client_id, iat, exp, jti)
 * valid for a day, so no run outlives it. `index` makes every token distinct.
 */
export function mintToken(key: IssuerKey, claims: TokenClaims, index: number): string {
  const signingInput = signingInputOf(key, claims, index);
  const signature = sign('sha256', Buffer.from(signingInput), key.privateKey);
  return `${signingInput}.${signature.toString('base64url')}`;
}

/**
 * `count` distinct valid tokens, signed on libuv's thread pool (about 1 ms of CPU each for
 * RSA-2048), so this process's event loop, and the JWKS server on it, stay responsive meanwhile.
 */
export async function mintTokens(
  key: IssuerKey,
  claims: TokenClaims,
  count: number,
): Promise<string[]> {
  const tokens: string[] = new Array<string>(count);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const index = next++;
      const signingInput = signingInputOf(key, claims, index + 1);
      const signature = await signAsync(Buffer.from(signingInput), key.privateKey);
      tokens[index] = `${signingInput}.${signature.toString('base64url')}`;
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return tokens;
}

function signingInputOf(key: IssuerKey, claims: TokenClaims, index: number): string {
  const now = Math.floor(Date.now() / 1000);
  const clientId = `bench-client-${index}`;
  const header = { alg: 'RS256', typ: 'at+jwt', kid: key.kid };
  const payload = {
    iss: claims.issuer,
    aud: claims.audience,
    sub: `${clientId}@clients`,
    client_id: clientId,
    scope: claims.scope,
    iat: now,
    exp: now + 24 * 3600,
    jti: `${index}-${randomUUID()}`,
  };
  return `${base64url(header)}.${base64url(payload)}`;
}

function signAsync(data: Buffer, privateKey: KeyObject): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    sign('sha256', data, privateKey, (error, signature) => {
      if (error) reject(error);
      else resolve(signature);
    });
  });
}

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
