// README's test examples run as suites of their own; this keeps each README block and its suite
// equal, token for token (comments, formatting and trailing commas aside), but for the import
// paths.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from 'typescript';

const ROOT = join(__dirname, '..', '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** In the suites the package is imported from the source tree. */
const IMPORT_PATHS: Record<string, string> = {
  "'../../src/oauth-jwt'": "'nest-oauth-jwt'",
  "'../../src/oauth-jwt/testing'": "'nest-oauth-jwt/testing'",
};

/** The first ```ts block after a heading of README.md. */
function readmeBlock(heading: string): string {
  const start = README.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`README.md has no heading "${heading}"`);
  const match = /\n```ts\n([\s\S]*?)\n```\n/.exec(README.slice(start));
  if (!match?.[1]) throw new Error(`README.md has no ts block under "${heading}"`);
  return match[1];
}

/** Token texts, without comments, whitespace, or the commas before a closing bracket. */
function tokens(source: string): string[] {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard);
  scanner.setText(source);
  const texts: string[] = [];
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    const text = scanner.getTokenText();
    texts.push(IMPORT_PATHS[text] ?? text);
  }
  return texts.filter(
    (text, index) => !(text === ',' && [')', ']', '}'].includes(texts[index + 1] ?? '')),
  );
}

describe('README test examples', () => {
  it.each([
    ['## Testing your own API: the test kit', 'readme-example.e2e-spec.ts'],
    [
      '### Testing a real AppModule whose `forRoot` points at production',
      'readme-app-module-example.e2e-spec.ts',
    ],
  ])('the block under "%s" is the suite %s', (heading, suite) => {
    const block = readmeBlock(heading);
    const source = readFileSync(join(__dirname, suite), 'utf8');
    expect(tokens(block).length).toBeGreaterThan(100);
    expect(tokens(block)).toEqual(tokens(source));
  });
});
