import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

/**
 * What the running demo tells the partners CLI about its embedded issuer, in DATA_DIR (mode 0600,
 * in a 0700 directory): where it is, and the initial access token that lets the CLI register
 * clients there (RFC 7591).
 */
export interface DemoIssuerFile {
  readonly issuer: string;
  readonly tokenEndpoint: string;
  readonly registrationEndpoint: string;
  readonly initialAccessToken: string;
}

export const DEMO_ISSUER_FILE = 'demo-issuer.json';

export function writeDemoIssuerFile(dataDir: string, content: DemoIssuerFile): void {
  writeFileSync(path.join(dataDir, DEMO_ISSUER_FILE), `${JSON.stringify(content, null, 2)}\n`, {
    mode: 0o600,
  });
}

/** The file's content, or undefined when there is none (no demo ever ran on this DATA_DIR). */
export function readDemoIssuerFile(dataDir: string): DemoIssuerFile | undefined {
  let text: string;
  try {
    text = readFileSync(path.join(dataDir, DEMO_ISSUER_FILE), 'utf8');
  } catch {
    return undefined;
  }
  const parsed = JSON.parse(text) as Partial<DemoIssuerFile>;
  const { issuer, tokenEndpoint, registrationEndpoint, initialAccessToken } = parsed;
  if (
    typeof issuer !== 'string' ||
    typeof tokenEndpoint !== 'string' ||
    typeof registrationEndpoint !== 'string' ||
    typeof initialAccessToken !== 'string'
  ) {
    return undefined;
  }
  return { issuer, tokenEndpoint, registrationEndpoint, initialAccessToken };
}
