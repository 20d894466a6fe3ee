import { readFileSync } from 'node:fs';
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
