/* Internal to the test kit (not exported from its barrel). */
import { sign, X509Certificate } from 'node:crypto';
import type { TestKeyPair as KeyPair } from './test-keys';

/**
 * A minimal DER writer, enough for one self-signed X.509 v3 certificate (RFC 5280 §4.1): the
 * attacker's certificate for the `x5c` case has to be a real, parseable one for the test to mean
 * something, and node:crypto can parse certificates but not make them.
 */
function element(tag: number, content: Buffer): Buffer {
  const length = content.length;
  let header: Buffer;
  if (length < 0x80) {
    header = Buffer.from([tag, length]);
  } else {
    const bytes: number[] = [];
    for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
    header = Buffer.from([tag, 0x80 | bytes.length, ...bytes]);
  }
  return Buffer.concat([header, content]);
}

const sequence = (...parts: Buffer[]): Buffer => element(0x30, Buffer.concat(parts));
const set = (...parts: Buffer[]): Buffer => element(0x31, Buffer.concat(parts));
const NULL = Buffer.from([0x05, 0x00]);

function integer(value: Buffer): Buffer {
  const first = value[0] ?? 0;
  return element(0x02, first >= 0x80 ? Buffer.concat([Buffer.from([0]), value]) : value);
}

function objectIdentifier(dotted: string): Buffer {
  const [first = 0, second = 0, ...rest] = dotted.split('.').map(Number);
  const bytes = [first * 40 + second];
  for (const arc of rest) {
    const chunk: number[] = [];
    for (let value = arc; ; value = Math.floor(value / 128)) {
      chunk.unshift((value % 128) | (chunk.length > 0 ? 0x80 : 0));
      if (value < 128) break;
    }
    bytes.push(...chunk);
  }
  return element(0x06, Buffer.from(bytes));
}

function utcTime(date: Date): Buffer {
  const text = date.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z';
  return element(0x17, Buffer.from(text, 'ascii'));
}

function name(commonName: string): Buffer {
  return sequence(
    set(sequence(objectIdentifier('2.5.4.3'), element(0x0c, Buffer.from(commonName)))),
  );
}

/** A self-signed sha256WithRSAEncryption certificate for `pair`, valid for a day either side. */
export function selfSignedCertificate(pair: KeyPair, commonName: string): Buffer {
  const signatureAlgorithm = sequence(objectIdentifier('1.2.840.113549.1.1.11'), NULL);
  const now = Date.now();
  const tbs = sequence(
    element(0xa0, integer(Buffer.from([2]))),
    integer(Buffer.from([0x13, 0x37])),
    signatureAlgorithm,
    name(commonName),
    sequence(utcTime(new Date(now - 86_400_000)), utcTime(new Date(now + 86_400_000))),
    name(commonName),
    pair.publicKey.export({ type: 'spki', format: 'der' }),
  );
  const signature = sign('sha256', tbs, pair.privateKey);
  const der = sequence(
    tbs,
    signatureAlgorithm,
    element(0x03, Buffer.concat([Buffer.from([0]), signature])),
  );
  // Fail here, not in a test, if the DER is not a certificate Node accepts and can verify.
  if (!new X509Certificate(der).verify(pair.publicKey)) {
    throw new Error('the self-signed test certificate does not verify');
  }
  return der;
}
