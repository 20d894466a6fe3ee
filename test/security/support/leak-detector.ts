/**
 * Finds what must never reach a client or a log line: a token (or any 20+ character fragment of
 * one), key material, a stack trace, or a message of jsonwebtoken, jwks-rsa, Node or the JSON
 * parser (they can carry token content and tell an attacker which check failed, and how).
 */

/** Messages of the libraries under the module, matched case-insensitively. */
export const LIBRARY_MESSAGES: readonly string[] = [
  'jwt malformed',
  'jwt must be provided',
  'jwt expired',
  'jwt not active',
  'jwt audience invalid',
  'jwt issuer invalid',
  'jwt signature is required',
  'invalid signature',
  'invalid algorithm',
  'invalid token',
  'invalid exp value',
  'invalid nbf value',
  'secretorpublickey',
  'error in secret or public key callback',
  'signatures must be',
  'no auth token',
  'jsonwebtokenerror',
  'tokenexpirederror',
  'notbeforeerror',
  'syntaxerror',
  'typeerror',
  'unexpected token',
  'is not valid json',
  'unexpected end of json',
  'keysetfetcherror',
  'signingkeynotfounderror',
  'jwksclient',
  'econnrefused',
  'econnreset',
  'internal server error',
];

/** The shortest fragment of a secret that counts as leaked. */
export const FRAGMENT_LENGTH = 20;

const SECRET_LIKE_RUN = /[A-Za-z0-9_\-+/=.~]{20,}/g;

export interface Leak {
  readonly where: string;
  readonly what: string;
}

/** Runs of token-like characters (20+) in a request, so its tokens count as secrets. */
export function secretRunsOf(text: string): string[] {
  return text.match(SECRET_LIKE_RUN) ?? [];
}

/**
 * Every leak in `outputs` (what was sent back or printed), given the `secrets` (tokens sent, key
 * material). A secret is leaked when any FRAGMENT_LENGTH-character window of the output's
 * token-like runs occurs in it. Linear in the total size of outputs and secrets (the fuzz run
 * checks tens of thousands of tokens against tens of thousands of log lines).
 */
export function findLeaks(
  outputs: readonly { where: string; text: string }[],
  secrets: readonly string[],
): Leak[] {
  const leaks: Leak[] = [];
  /** Every window of every token-like run printed or sent back, with where it first appeared. */
  const windows = new Map<string, string>();
  const seenRuns = new Set<string>();
  for (const { where, text } of outputs) {
    if (text.includes('    at ') || /\n\s*at \S+ \(/.test(text)) {
      leaks.push({ where, what: `stack trace: ${text.slice(0, 200)}` });
    }
    const lower = text.toLowerCase();
    for (const message of LIBRARY_MESSAGES) {
      if (lower.includes(message)) leaks.push({ where, what: `library message "${message}"` });
    }
    for (const run of text.match(/[A-Za-z0-9_\-+/]{20,}/g) ?? []) {
      if (seenRuns.has(run)) continue;
      seenRuns.add(run);
      for (let start = 0; start + FRAGMENT_LENGTH <= run.length; start += 1) {
        const window = run.slice(start, start + FRAGMENT_LENGTH);
        if (!windows.has(window)) windows.set(window, where);
      }
    }
  }
  if (windows.size === 0) return leaks;
  const reported = new Set<string>();
  for (const secret of new Set(secrets)) {
    for (let start = 0; start + FRAGMENT_LENGTH <= secret.length; start += 1) {
      const window = secret.slice(start, start + FRAGMENT_LENGTH);
      const where = windows.get(window);
      if (where !== undefined && !reported.has(where)) {
        reported.add(where);
        leaks.push({ where, what: `secret fragment ${window}` });
      }
    }
  }
  return leaks;
}

/** Response header values must be visible ASCII and spaces (RFC 9110 field-vchar, no obs-text). */
export function nonAsciiHeaders(headers: Record<string, unknown>): string[] {
  return Object.entries(headers)
    .filter(([, value]) => {
      const values = Array.isArray(value) ? (value as unknown[]) : [value];
      return values.some((item) => typeof item === 'string' && !/^[\x20-\x7E]*$/.test(item));
    })
    .map(([name]) => name);
}
