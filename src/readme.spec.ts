import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BEARER_ERROR_REASONS } from './oauth-jwt';

const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');

/** Rows of the README's error table: | `reason` | status | error | description | */
function errorTableRows(): string[][] {
  return readme
    .split('\n')
    .filter((line) => /^\| `[a-z_]+` +\| \d{3} +\|/.test(line))
    .map((line) =>
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim().replace(/`/g, '')),
    );
}

describe('README error table', () => {
  it('lists every refusal reason with its exact status, error code and description, in order', () => {
    const expected = Object.entries(BEARER_ERROR_REASONS).map(([reason, spec]) => [
      reason,
      String(spec.status),
      'error' in spec ? spec.error : '—',
      spec.description,
    ]);
    expect(errorTableRows()).toEqual(expected);
  });
});

describe('README request path', () => {
  it('names files that exist, each step once', () => {
    const section = readme.slice(
      readme.indexOf('## How a request is checked'),
      readme.indexOf('## Errors'),
    );
    const files = [...section.matchAll(/`([\w/.-]+\.ts)`/g)].map((match) => match[1] ?? '');
    expect(files.length).toBeGreaterThanOrEqual(9);
    expect(new Set(files).size).toBe(files.length);
    for (const file of files) {
      expect([file, existsSync(join(__dirname, 'oauth-jwt', file))]).toEqual([file, true]);
    }
  });
});
