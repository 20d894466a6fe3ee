import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import * as ts from 'typescript';

const SRC = __dirname;
const LIBRARY = join(SRC, 'oauth-jwt');
/** What an app can import: the package's entry points. */
const ENTRY_POINTS = new Set(
  ['', 'testing', 'openapi', 'health'].flatMap((entry) => {
    const directory = join(LIBRARY, entry);
    return [directory, join(directory, 'index')];
  }),
);

function sampleFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return path === LIBRARY ? [] : sampleFiles(path);
    return /\.(?:ts|mts|js|mjs)$/.test(entry.name) ? [path] : [];
  });
}

/** What `file` imports from the library, as paths without extension. */
function libraryImports(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return importedFiles
    .map(({ fileName }) => fileName)
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => resolve(dirname(file), specifier).replace(/\.(?:js|ts)$/, ''))
    .filter((target) => target.startsWith(LIBRARY + sep) || target === LIBRARY);
}

describe('the sample app uses the library as an app would', () => {
  const files = sampleFiles(SRC).filter((file) => !file.endsWith('.spec.ts'));

  it('finds the sample’s files and their imports of the library (the check is not vacuous)', () => {
    expect(files.map((file) => relative(SRC, file))).toEqual(
      expect.arrayContaining(['app.module.ts', join('users', 'users.controller.ts')]),
    );
    expect(files.flatMap(libraryImports).length).toBeGreaterThan(5);
  });

  it('imports only the entry points (nest-oauth-jwt and its subpaths), never an internal file', () => {
    const internal = files.flatMap((file) =>
      libraryImports(file)
        .filter((target) => !ENTRY_POINTS.has(target))
        .map((target) => `${relative(SRC, file)} imports ${relative(SRC, target)}`),
    );
    expect(internal).toEqual([]);
  });
});
