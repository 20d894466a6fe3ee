#!/usr/bin/env node
// `npm run test:browser`: the headless Chromium tests of the sample's Swagger UI (test/browser).
// They drive Debian's /usr/bin/chromium through playwright-core, which downloads no browser.
// Without that binary the suite is skipped (exit 0) with a SKIPPED line; CI installs it.
// It builds first: the demo's test runs `node dist/main.js` as a user does.
'use strict';

const { spawnSync } = require('node:child_process');
const { accessSync, constants } = require('node:fs');
const path = require('node:path');

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

try {
  accessSync(CHROMIUM, constants.X_OK);
} catch {
  console.log(`SKIPPED: ${CHROMIUM} not found`);
  process.exit(0);
}

const root = path.join(__dirname, '..');
const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const result = spawnSync(
  process.execPath,
  [
    require.resolve('jest/bin/jest', { paths: [root] }),
    '--config',
    path.join(root, 'test', 'browser', 'jest.config.js'),
    '--runInBand',
    ...process.argv.slice(2),
  ],
  { cwd: root, stdio: 'inherit', env: { ...process.env, CHROMIUM_PATH: CHROMIUM } },
);
process.exit(result.status ?? 1);
