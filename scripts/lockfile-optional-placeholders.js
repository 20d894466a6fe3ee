#!/usr/bin/env node
// npm 11.16+ leaves out of package-lock.json the optional dependencies its registry does not
// serve (here: jest's unrs-resolver bindings for other platforms), then `npm ci` rejects that
// same lockfile as out of sync (npm/cli#9846). This writes the inert placeholder entries older
// npm wrote. Run it after `npm install` changes the lockfile; `--check` only reports.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const file = path.join(__dirname, '..', 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
const missing = [];
for (const [location, entry] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const nested = `${location ? `${location}/` : ''}node_modules/${name}`;
    if (!lock.packages[nested] && !lock.packages[`node_modules/${name}`]) {
      missing.push([`node_modules/${name}`, { version, dev: entry.dev === true, optional: true }]);
    }
  }
}
if (process.argv.includes('--check')) {
  for (const [key] of missing) console.log(`missing lockfile entry: ${key}`);
  process.exit(missing.length === 0 ? 0 : 1);
}
for (const [key, value] of missing) {
  if (!value.dev) delete value.dev;
  lock.packages[key] = value;
}
const [root, ...rest] = Object.keys(lock.packages);
const order = [root, ...rest.sort((a, b) => a.localeCompare(b, 'en'))];
lock.packages = Object.fromEntries(order.map((key) => [key, lock.packages[key]]));
fs.writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`added ${missing.length} placeholder entries`);
