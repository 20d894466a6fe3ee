import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative, sep } from 'node:path';
import * as ts from 'typescript';

interface PackageJson {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

interface PackageImport {
  /** The file, relative to the repository root, with forward slashes. */
  readonly file: string;
  /** The package name: `@scope/name` or `name`. */
  readonly name: string;
  /** Erased at compile time (`import type`, `import('x').T`): satisfied by `@types/<name>` too. */
  readonly typeOnly: boolean;
}

const ROOT = join(__dirname, '..');
const SOURCE_EXTENSIONS = /\.(?:ts|mts|cts|js|mjs|cjs)$/;
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as PackageJson;
const BUILTINS = new Set(builtinModules);

function filesUnder(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return filesUnder(path);
    return SOURCE_EXTENSIONS.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** `@scope/name/deep/path` → `@scope/name`; `name/deep` → `name`; relative, absolute, builtin → undefined. */
function packageNameOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) {
    return undefined;
  }
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  if (name === undefined || BUILTINS.has(name)) return undefined;
  return name;
}

function isTypeOnlyImport(node: ts.ImportDeclaration): boolean {
  const clause = node.importClause;
  if (!clause) return false; // `import 'x'` runs the module
  if (clause.phaseModifier === ts.SyntaxKind.TypeKeyword) return true;
  const bindings = clause.namedBindings;
  return (
    clause.name === undefined &&
    bindings !== undefined &&
    ts.isNamedImports(bindings) &&
    bindings.elements.length > 0 &&
    bindings.elements.every((element) => element.isTypeOnly)
  );
}

/** Every bare package specifier a file imports, exports from, requires or import()s. */
function importsOf(path: string): PackageImport[] {
  const file = relative(ROOT, path).split(sep).join('/');
  const kind = /\.[mc]?js$/.test(path) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  const source = ts.createSourceFile(
    path,
    readFileSync(path, 'utf8'),
    ts.ScriptTarget.Latest,
    true,
    kind,
  );
  const found: PackageImport[] = [];
  const add = (specifier: ts.Node | undefined, typeOnly: boolean): void => {
    if (specifier === undefined || !ts.isStringLiteralLike(specifier)) return;
    const name = packageNameOf(specifier.text);
    if (name !== undefined) found.push({ file, name, typeOnly });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      add(node.moduleSpecifier, isTypeOnlyImport(node));
    } else if (ts.isExportDeclaration(node)) {
      add(node.moduleSpecifier, node.isTypeOnly);
    } else if (ts.isImportEqualsDeclaration(node)) {
      if (ts.isExternalModuleReference(node.moduleReference)) {
        add(node.moduleReference.expression, node.isTypeOnly);
      }
    } else if (ts.isImportTypeNode(node)) {
      if (ts.isLiteralTypeNode(node.argument)) add(node.argument.literal, true);
    } else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const isImportCall = callee.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(callee) && callee.text === 'require';
      const isRequireResolve =
        ts.isPropertyAccessExpression(callee) &&
        ts.isIdentifier(callee.expression) &&
        callee.expression.text === 'require' &&
        callee.name.text === 'resolve';
      if (isImportCall || isRequire || isRequireResolve) add(node.arguments[0], false);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const ALL_IMPORTS = filesUnder(join(ROOT, 'src')).flatMap(importsOf);

function declared(...groups: (Record<string, string> | undefined)[]): Set<string> {
  return new Set(groups.flatMap((group) => Object.keys(group ?? {})));
}

function undeclared(imports: PackageImport[], names: Set<string>): string[] {
  return imports
    .filter(({ name, typeOnly }) => !names.has(name) && !(typeOnly && names.has(`@types/${name}`)))
    .map(({ file, name }) => `${file} imports ${name}`);
}

describe('package imports', () => {
  it('finds the imports it checks (the scan is not vacuous)', () => {
    const names = new Set(ALL_IMPORTS.map(({ name }) => name));
    expect(names).toEqual(expect.any(Set));
    for (const name of ['@nestjs/common', 'jwks-rsa', 'lru-cache', 'passport-jwt', 'typescript']) {
      expect(names.has(name)).toBe(true);
    }
    expect(
      ALL_IMPORTS.some(({ file, name }) => file.endsWith('.mjs') && name === 'oidc-provider'),
    ).toBe(true);
  });

  it('every package imported under src/ is declared in package.json', () => {
    const names = declared(
      manifest.dependencies,
      manifest.devDependencies,
      manifest.peerDependencies,
      manifest.optionalDependencies,
    );
    expect(undeclared(ALL_IMPORTS, names)).toEqual([]);
  });

  it('the shipped library imports at run time only dependencies and peerDependencies', () => {
    const isLibraryRuntimeFile = (file: string) =>
      file.startsWith('src/oauth-jwt/') && !file.endsWith('.spec.ts');
    const libraryImports = ALL_IMPORTS.filter(
      ({ file, typeOnly }) => isLibraryRuntimeFile(file) && !typeOnly,
    );
    expect(libraryImports.length).toBeGreaterThan(0);
    const names = declared(
      manifest.dependencies,
      manifest.peerDependencies,
      manifest.optionalDependencies,
    );
    expect(undeclared(libraryImports, names)).toEqual([]);
  });
});
