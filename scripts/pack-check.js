#!/usr/bin/env node
// CI: the package as a user gets it. Packs the library (`npm pack`, whose prepack builds it),
// checks the tarball (LICENSE, every entry point, nothing but the library, source maps that
// resolve), installs it into a throwaway Nest app outside the repository from the npm registry
// and the tarball only, compiles that app with strict TypeScript (skipLibCheck false; nodenext,
// and node10 for typesVersions) and runs its e2e test (node:test + supertest): a test-kit token
// gets 200, no token 401 with a Bearer challenge. Usage: node scripts/pack-check.js [--keep]
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const KEEP = process.argv.includes('--keep');
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8'));

/** The app's packages, at the versions this repository's lockfile uses. */
const APP_DEPENDENCIES = [
  '@nestjs/common',
  '@nestjs/core',
  '@nestjs/platform-express',
  '@nestjs/passport',
  'passport',
  'reflect-metadata',
  'rxjs',
];
const APP_DEV_DEPENDENCIES = [
  '@nestjs/testing',
  'typescript',
  'supertest',
  '@types/supertest',
  '@types/node',
  '@types/express',
];
/** A user of the main entry and the test kit has none of these: the package must not need them. */
const ABSENT = ['@types/passport-jwt', '@types/passport', '@nestjs/swagger', '@nestjs/terminus'];

class CheckFailure extends Error {}

function fail(message) {
  throw new CheckFailure(message);
}

function lockedVersion(name) {
  const version = lock.packages[`node_modules/${name}`]?.version;
  if (!version) fail(`package-lock.json has no version of ${name}`);
  return version;
}

/** Runs a command; its output is shown only when it fails. */
function run(step, command, args, cwd) {
  const started = Date.now();
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    process.stdout.write(`${result.stdout ?? ''}${result.stderr ?? ''}`);
    fail(`${step}: \`${command} ${args.join(' ')}\` exited with ${result.status ?? result.signal}`);
  }
  console.log(`pack-check: ${step} (${seconds} s)`);
  return result.stdout;
}

function filesUnder(directory) {
  return fs.readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(directory, entry.name);
    return entry.isDirectory() ? filesUnder(file) : [file];
  });
}

/** Every path `exports`, `main`, `types` and `typesVersions` point at. */
function entryTargets() {
  const targets = [manifest.main, manifest.types];
  const walk = (value) => {
    if (typeof value === 'string') targets.push(value);
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(manifest.exports);
  walk(manifest.typesVersions);
  return [...new Set(targets.map((target) => path.normalize(target)))];
}

/** What the tarball holds: the library, its license, and nothing else. */
function checkTarball(packageDir) {
  const files = filesUnder(packageDir).map((file) => path.relative(packageDir, file));
  if (!files.includes('LICENSE')) fail('tarball: no LICENSE');
  const license = fs.readFileSync(path.join(packageDir, 'LICENSE'), 'utf8');
  if (!license.startsWith('MIT License') || !license.includes('nest-oauth-jwt contributors')) {
    fail('tarball: LICENSE is not the MIT license of nest-oauth-jwt contributors');
  }
  for (const target of entryTargets()) {
    if (!files.includes(target)) fail(`tarball: entry point file ${target} is missing`);
  }
  const library = path.join('dist', 'oauth-jwt') + path.sep;
  const stray = files.filter(
    (file) =>
      !['LICENSE', 'README.md', 'package.json'].includes(file) &&
      (!file.startsWith(library) || /\.spec\./.test(file)),
  );
  if (stray.length > 0) fail(`tarball: files outside the library: ${stray.join(', ')}`);
  const built = files.filter((file) => file.startsWith(library));
  const stale = built.filter((file) => {
    const source = path
      .join('src', path.relative('dist', file))
      .replace(/\.(d\.ts|js\.map|js)$/, '.ts');
    return !fs.existsSync(path.join(ROOT, source));
  });
  if (stale.length > 0) fail(`tarball: built files without a source (stale): ${stale.join(', ')}`);
  const scripts = built.filter((file) => file.endsWith('.js'));
  if (scripts.length === 0) fail('tarball: no JavaScript (was the library built?)');
  for (const script of scripts) {
    const text = fs.readFileSync(path.join(packageDir, script), 'utf8');
    const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(text)?.[1];
    if (url === undefined) fail(`tarball: ${script} has no source map`);
    checkSourceMap(packageDir, path.join(path.dirname(script), url));
  }
  return files.length;
}

/** Each source of a map is either embedded (sourcesContent) or a file inside the package. */
function checkSourceMap(packageDir, mapFile) {
  const absolute = path.join(packageDir, mapFile);
  if (!fs.existsSync(absolute)) fail(`tarball: ${mapFile} is referenced but missing`);
  const map = JSON.parse(fs.readFileSync(absolute, 'utf8'));
  if (!Array.isArray(map.sources) || map.sources.length === 0) fail(`${mapFile}: no sources`);
  map.sources.forEach((source, index) => {
    if (typeof map.sourcesContent?.[index] === 'string') return;
    const resolved = path.resolve(path.dirname(absolute), map.sourceRoot ?? '', source);
    const inside = resolved.startsWith(packageDir + path.sep);
    if (!inside || !fs.existsSync(resolved)) {
      fail(`${mapFile}: source ${source} is neither embedded nor in the package`);
    }
  });
}

function writeFiles(directory, files) {
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(directory, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${text.trim()}\n`);
  }
}

/** A Nest app as a user writes it: production options in AppModule, a test-kit e2e test. */
function appFiles(tarball) {
  const pinned = (names) => Object.fromEntries(names.map((name) => [name, lockedVersion(name)]));
  const compilerOptions = {
    module: 'nodenext',
    moduleResolution: 'nodenext',
    target: 'ES2022',
    lib: ['ES2023'],
    types: ['node'],
    strict: true,
    skipLibCheck: false,
    noUncheckedIndexedAccess: true,
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
    esModuleInterop: true,
    forceConsistentCasingInFileNames: true,
    rootDir: 'src',
    outDir: 'dist',
  };
  return {
    'package.json': JSON.stringify(
      {
        name: 'pack-check-app',
        version: '0.0.0',
        private: true,
        dependencies: { ...pinned(APP_DEPENDENCIES), 'nest-oauth-jwt': `file:${tarball}` },
        devDependencies: pinned(APP_DEV_DEPENDENCIES),
      },
      null,
      2,
    ),
    'tsconfig.json': JSON.stringify({ compilerOptions, include: ['src'] }, null, 2),
    'tsconfig.node10.json': JSON.stringify(
      {
        extends: './tsconfig.json',
        compilerOptions: { module: 'commonjs', moduleResolution: 'node10', noEmit: true },
      },
      null,
      2,
    ),
    'src/orders.controller.ts': `
import { Controller, Get } from '@nestjs/common';
import { Client, Public, RequireScopes } from 'nest-oauth-jwt';
import type { Partner } from './partner';

@Controller('orders')
export class OrdersController {
  @Get()
  @RequireScopes('read:orders')
  list(@Client() partner: Partner): { partner: string; orders: string[] } {
    return { partner: partner.name, orders: [] };
  }

  @Public()
  @Get('status')
  status(): { status: string } {
    return { status: 'ok' };
  }
}`,
    'src/partner.ts': `
import type { ClientResolver } from 'nest-oauth-jwt';

export interface Partner {
  readonly clientId: string;
  readonly name: string;
}

export const partners: ClientResolver<Partner> = {
  resolve: (clientId) => (clientId === 'partner-a' ? { clientId, name: 'Acme Corp' } : undefined),
};`,
    'src/app.module.ts': `
import { Module } from '@nestjs/common';
import { OAuthJwtModule, type OAuthJwtModuleOptions } from 'nest-oauth-jwt';
import { OrdersController } from './orders.controller';
import { partners } from './partner';

const oauth: OAuthJwtModuleOptions = {
  issuer: 'https://login.example.com/',
  audience: 'https://orders.example.com',
  clientResolver: partners,
};

@Module({ imports: [OAuthJwtModule.forRoot(oauth)], controllers: [OrdersController] })
export class AppModule {}`,
    // Compiled only: the step methods of the guards are there to override (README).
    'src/logged-auth.guard.ts': `
import { Injectable, type ExecutionContext } from '@nestjs/common';
import { JwtAuthGuard } from 'nest-oauth-jwt';

@Injectable()
export class LoggedAuthGuard extends JwtAuthGuard {
  protected override isPublic(context: ExecutionContext): boolean {
    return super.isPublic(context);
  }
}`,
    'src/main.ts': `
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';

export async function bootstrap(): Promise<void> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule);
  await app.listen(3000);
}`,
    'src/app.e2e.test.ts': `
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import {
  asPartner,
  createTestIssuer,
  overrideOAuthJwtOptions,
  type TestIssuer,
} from 'nest-oauth-jwt/testing';
import { AppModule } from './app.module';

let issuer: TestIssuer;
let app: INestApplication;

before(async () => {
  issuer = await createTestIssuer();
  const moduleRef = await overrideOAuthJwtOptions(
    Test.createTestingModule({ imports: [AppModule] }),
    issuer,
  ).compile();
  app = moduleRef.createNestApplication({ logger: ['error', 'warn'] });
  await app.listen(0, '127.0.0.1');
});

after(async () => {
  await app.close();
  await issuer.close();
});

test('a token of the test kit gets 200', async () => {
  const response = await asPartner(request(app.getHttpServer()).get('/orders'), issuer, 'partner-a', [
    'read:orders',
  ]);
  assert.equal(response.status, 200);
  assert.deepEqual(response.body, { partner: 'Acme Corp', orders: [] });
});

test('no token gets 401 with a Bearer challenge', async () => {
  const response = await request(app.getHttpServer()).get('/orders');
  assert.equal(response.status, 401);
  assert.equal(response.headers['www-authenticate'], 'Bearer realm="api"');
});`,
  };
}

function main() {
  const started = Date.now();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'nest-oauth-jwt-pack-check-'));
  let passed = false;
  try {
    run('npm pack (prepack builds the library)', 'npm', ['pack', '--pack-destination', work], ROOT);
    const tarballs = fs.readdirSync(work).filter((name) => name.endsWith('.tgz'));
    if (tarballs.length !== 1) fail(`npm pack made ${tarballs.length} tarballs`);
    const tarball = path.join(work, tarballs[0]);

    const unpacked = path.join(work, 'unpacked');
    fs.mkdirSync(unpacked);
    run('unpack', 'tar', ['-xzf', tarball, '-C', unpacked], work);
    const fileCount = checkTarball(path.join(unpacked, 'package'));
    console.log(
      `pack-check: tarball holds ${fileCount} files: LICENSE, entry points, source maps ok`,
    );

    const app = path.join(work, 'app');
    writeFiles(app, appFiles(tarball));
    run(
      'npm install (registry + tarball)',
      'npm',
      ['install', '--no-audit', '--no-fund', '--loglevel=error'],
      app,
    );
    const present = ABSENT.filter((name) => fs.existsSync(path.join(app, 'node_modules', name)));
    if (present.length > 0) fail(`the app must not have ${present.join(', ')} installed`);
    const tsc = path.join(app, 'node_modules', 'typescript', 'bin', 'tsc');
    run('tsc, strict, skipLibCheck false, nodenext', process.execPath, [tsc, '-p', '.'], app);
    run(
      'tsc, node10 resolution (typesVersions)',
      process.execPath,
      [tsc, '-p', 'tsconfig.node10.json'],
      app,
    );
    const tests = run(
      'e2e test',
      process.execPath,
      ['--test', '--test-reporter=tap', path.join('dist', 'app.e2e.test.js')],
      app,
    );
    const passes = /^# pass (\d+)$/m.exec(tests)?.[1];
    if (passes !== '2') fail(`e2e test: expected 2 passing tests, TAP says ${passes ?? 'none'}`);
    passed = true;
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    console.log(
      `pack-check: PASS ${tarballs[0]} installs into a fresh Nest app, compiles strict, e2e 2/2 (${seconds} s)`,
    );
  } catch (error) {
    const message = error instanceof CheckFailure ? error.message : (error.stack ?? String(error));
    console.log(`pack-check: FAIL ${message}`);
    process.exitCode = 1;
  } finally {
    if (KEEP || !passed) console.log(`pack-check: work directory kept: ${work}`);
    else fs.rmSync(work, { recursive: true, force: true });
  }
}

main();
