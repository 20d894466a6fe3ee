#!/usr/bin/env node
// `npm test`: jest's unit and e2e projects (no flag: the library stays tested as CommonJS), then
// the sample's database suites (the `db` project) with NODE_OPTIONS=--experimental-vm-modules,
// which PGlite (ESM/WASM) needs under Jest, after a build (they run the real CLI: dist/cli/main.js).
// Arguments go to both runs; `--outputFile=F` (with --json) gets both runs' counts summed.
// The database suites run on PGlite, and on PostgreSQL too when TEST_DATABASE_URL is set.
'use strict';

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const jest = require.resolve('jest/bin/jest', { paths: [root] });
const args = process.argv.slice(2);
const outputArg = args.find((arg) => arg.startsWith('--outputFile='));
const output = outputArg?.slice('--outputFile='.length);
const withOutput = (suffix) =>
  args.map((arg) => (arg === outputArg ? `--outputFile=${output}.${suffix}` : arg));

function run(label, projects, env, suffix) {
  console.log(`\n== npm test: ${label} ==`);
  const result = spawnSync(
    process.execPath,
    [
      jest,
      '--config',
      path.join(root, 'jest.config.js'),
      '--selectProjects',
      ...projects,
      ...withOutput(suffix),
    ],
    { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } },
  );
  return result.status ?? 1;
}

const first = run('unit and e2e (CommonJS, no flag)', ['unit', 'e2e'], {}, 'library');
const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
if (!process.env.TEST_DATABASE_URL) {
  console.log('\nnpm test: TEST_DATABASE_URL is not set: the database suites run on PGlite only');
}
const nodeOptions = `${process.env.NODE_OPTIONS ?? ''} --experimental-vm-modules`.trim();
const second = run(
  'sample database suites (PGlite, PostgreSQL)',
  ['db'],
  { NODE_OPTIONS: nodeOptions },
  'db',
);

if (output) {
  const read = (suffix) => {
    try {
      return JSON.parse(fs.readFileSync(`${output}.${suffix}`, 'utf8'));
    } catch {
      return { numPassedTests: 0, numFailedTests: 1, numPendingTests: 0, success: false };
    }
  };
  const [a, b] = [read('library'), read('db')];
  const sum = (key) => (a[key] ?? 0) + (b[key] ?? 0);
  fs.writeFileSync(
    output,
    JSON.stringify({
      numPassedTests: sum('numPassedTests'),
      numFailedTests: sum('numFailedTests'),
      numPendingTests: sum('numPendingTests'),
      numTotalTests: sum('numTotalTests'),
      success: Boolean(a.success && b.success),
    }),
  );
}
process.exit(first !== 0 ? first : second);
