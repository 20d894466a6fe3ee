import type { BearerErrorReason } from './bearer-error-reasons';
import { BearerTokenException, isBearerTokenException } from './bearer-token.exception';

interface ErrorLike {
  name?: unknown;
  message?: unknown;
}

/**
 * Classifies what passport / jsonwebtoken hand back (jsonwebtoken's errors arrive as passport's
 * `info`) into one of our reasons. Matched on `name` and fixed message prefixes, never
 * `instanceof`; the foreign message is kept only as `cause`, never shown to the client.
 */
export function toBearerTokenException(error: unknown): BearerTokenException {
  if (isBearerTokenException(error)) return error;
  return new BearerTokenException(classify(error), { cause: error });
}

function classify(error: unknown): BearerErrorReason {
  if (typeof error !== 'object' || error === null) return 'invalid_token';
  const { name, message } = error as ErrorLike;
  const text = typeof message === 'string' ? message : '';
  if (name === 'TokenExpiredError') return text === 'maxAge exceeded' ? 'too_old' : 'expired';
  if (name === 'NotBeforeError') return 'not_yet_valid';
  // jsonwebtoken's key/alg mismatch ('"alg" parameter for "rsa" key type must be one of: ...',
  // '"alg" parameter "ES256" requires curve ...') is a plain Error, not a JsonWebTokenError.
  if (text.startsWith('"alg" parameter')) return 'unsupported_algorithm';
  if (name !== 'JsonWebTokenError') return 'invalid_token';
  if (text === 'invalid signature' || text === 'jwt signature is required') return 'bad_signature';
  if (text === 'invalid algorithm') return 'unsupported_algorithm';
  if (text.startsWith('jwt issuer invalid')) return 'bad_issuer';
  if (text.startsWith('jwt audience invalid')) return 'bad_audience';
  if (text === 'jwt malformed' || text === 'invalid token') return 'malformed_token';
  if (text.startsWith('invalid ') || text.startsWith('iat required')) return 'bad_claim';
  return 'invalid_token';
}
