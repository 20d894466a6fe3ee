// The .d.ts files of each entry point, as the build emits them, compiled the way a strict app
// compiles them (skipLibCheck false), with @types/passport(-jwt) and the optional peers hidden.
// The real install of the tarball is checked by scripts/pack-check.js in CI.
import { join, sep } from 'node:path';
import * as ts from 'typescript';

const ROOT = join(__dirname, '..', '..');
const LIBRARY = join(ROOT, 'src', 'oauth-jwt');

/** Packages a user of the entry point may not have: it must compile without them. */
const NOT_INSTALLED = {
  main: ['@types/passport-jwt', '@types/passport', '@nestjs/swagger', '@nestjs/terminus'],
  testing: ['@types/passport-jwt', '@types/passport', '@nestjs/swagger', '@nestjs/terminus'],
  openapi: ['@types/passport-jwt', '@nestjs/terminus'], // needs @nestjs/swagger (README)
  health: ['@types/passport-jwt', '@nestjs/swagger'], // needs @nestjs/terminus (README)
} as const;
type EntryPoint = keyof typeof NOT_INSTALLED;

const ENTRY_SOURCES: Record<EntryPoint, string> = {
  main: join(LIBRARY, 'index.ts'),
  testing: join(LIBRARY, 'testing', 'index.ts'),
  openapi: join(LIBRARY, 'openapi', 'index.ts'),
  health: join(LIBRARY, 'health', 'index.ts'),
};

/** What a strict app's tsconfig says; `types` as in an app without @types/jest in its sources. */
const APP_OPTIONS: ts.CompilerOptions = {
  strict: true,
  skipLibCheck: false,
  noEmit: true,
  module: ts.ModuleKind.CommonJS,
  moduleResolution: ts.ModuleResolutionKind.Node10,
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2023.d.ts'],
  types: ['node'],
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
  esModuleInterop: true,
};

/** The declarations the build (tsconfig.build.json) emits for the library, in memory. */
function emitDeclarations(): Map<string, string> {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    join(ROOT, 'tsconfig.build.json'),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined },
  );
  if (!parsed) throw new Error('tsconfig.build.json did not parse');
  const program = ts.createProgram(Object.values(ENTRY_SOURCES), {
    ...parsed.options,
    declaration: true,
    emitDeclarationOnly: true,
    noEmit: false,
  });
  const files = new Map<string, string>();
  const result = program.emit(undefined, (fileName, text) => {
    if (fileName.endsWith('.d.ts')) files.set(ts.sys.resolvePath(fileName), text);
  });
  expect(formatted(result.diagnostics)).toEqual([]);
  return files;
}

function formatted(diagnostics: readonly ts.Diagnostic[]): string[] {
  return diagnostics.map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    const file = diagnostic.file?.fileName.replace(ROOT + sep, '') ?? '';
    return `${file}: TS${diagnostic.code} ${message}`;
  });
}

/** Parsed files, shared by the programs below (parsing node_modules' .d.ts is most of their time). */
const PARSED = new Map<string, ts.SourceFile>();

/** A compiler host that serves the emitted declarations and pretends `hidden` are not installed. */
function appHost(declarations: Map<string, string>, hidden: readonly string[]): ts.CompilerHost {
  const host = ts.createCompilerHost(APP_OPTIONS);
  const hiddenDirs = hidden.map((name) => join(ROOT, 'node_modules', ...name.split('/')));
  const isHidden = (path: string) =>
    hiddenDirs.some((dir) => path === dir || path.startsWith(dir + sep));
  const fileExists = host.fileExists.bind(host);
  const readFile = host.readFile.bind(host);
  const directoryExists = host.directoryExists?.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.fileExists = (path) => declarations.has(path) || (!isHidden(path) && fileExists(path));
  host.readFile = (path) => declarations.get(path) ?? (isHidden(path) ? undefined : readFile(path));
  host.directoryExists = (path) =>
    [...declarations.keys()].some((file) => file.startsWith(path + sep)) ||
    (!isHidden(path) && (directoryExists?.(path) ?? true));
  host.getSourceFile = (path, languageVersion, onError) => {
    if (isHidden(path)) return undefined;
    let file = PARSED.get(path);
    if (!file) {
      const text = declarations.get(path);
      file =
        text === undefined
          ? getSourceFile(path, languageVersion, onError)
          : ts.createSourceFile(path, text, languageVersion, true);
      if (file) PARSED.set(path, file);
    }
    return file;
  };
  return host;
}

function declarationOf(entry: EntryPoint): string {
  const source = ENTRY_SOURCES[entry];
  return join(ROOT, 'dist', source.slice(join(ROOT, 'src').length + 1)).replace(/\.ts$/, '.d.ts');
}

function compile(entry: EntryPoint, declarations: Map<string, string>): ts.Program {
  return ts.createProgram(
    [declarationOf(entry)],
    APP_OPTIONS,
    appHost(declarations, NOT_INSTALLED[entry]),
  );
}

const SPECIFIERS: Record<EntryPoint, string> = {
  main: 'nest-oauth-jwt',
  testing: 'nest-oauth-jwt/testing',
  openapi: 'nest-oauth-jwt/openapi',
  health: 'nest-oauth-jwt/health',
};
const ENTRIES = Object.keys(SPECIFIERS) as EntryPoint[];

describe('declarations of the published entry points', () => {
  let declarations: Map<string, string>;

  beforeAll(() => {
    declarations = emitDeclarations();
  });

  it('emits a declaration for every entry point', () => {
    for (const entry of ENTRIES) expect(declarations.has(declarationOf(entry))).toBe(true);
  });

  it.each(ENTRIES.map((entry) => [SPECIFIERS[entry], entry] as const))(
    '%s compiles with skipLibCheck false, without @types/passport(-jwt) and the peers it does not need',
    (_specifier, entry) => {
      const program = compile(entry, declarations);
      expect(formatted(ts.getPreEmitDiagnostics(program))).toEqual([]);
      // Not vacuous: the hidden packages really are out of reach.
      const host = appHost(declarations, NOT_INSTALLED[entry]);
      for (const name of NOT_INSTALLED[entry]) {
        const specifier = name.replace(/^@types\//, '');
        const { resolvedModule } = ts.resolveModuleName(
          specifier,
          declarationOf(entry),
          APP_OPTIONS,
          host,
        );
        expect(resolvedModule?.extension === '.d.ts' ? resolvedModule.resolvedFileName : '').toBe(
          '',
        );
      }
    },
  );

  it('nest-oauth-jwt exports no internal type or value', () => {
    const program = compile('main', declarations);
    const checker = program.getTypeChecker();
    const file = program.getSourceFile(declarationOf('main'));
    const module = file && checker.getSymbolAtLocation(file);
    if (!module) throw new Error('no module symbol for the main declaration');
    const names = checker.getExportsOfModule(module).map((symbol) => symbol.name);
    expect(names).toEqual(expect.arrayContaining(['OAuthJwtModule', 'OAuthJwtModuleOptions']));
    for (const internal of [
      'KeySet',
      'KeySetStatus',
      'VerifiedTokenCache',
      'JwtStrategy',
      'PartnerResolver',
      'AuthEventsService',
      'resolveOAuthJwtOptions',
      'ResolvedOAuthJwtOptions',
      'OAUTH_JWT_RESOLVED_OPTIONS',
      'OAUTH_JWT_STRATEGY',
    ]) {
      expect(names).not.toContain(internal);
    }
  });
});
