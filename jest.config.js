// Unit tests sit beside the source (src/**/*.spec.ts); e2e suites live in test/.
// The `db` project runs the sample on its real database (PGlite is ESM/WASM: Jest needs
// NODE_OPTIONS=--experimental-vm-modules for it), so scripts/test.js runs it as a second jest, with
// that flag, while unit and e2e keep running without it (the library's CommonJS promise).
const DB_SUITES = ['<rootDir>/test/db/**/*.e2e-spec.ts', '<rootDir>/test/dx/startup.e2e-spec.ts'];
// tsconfig.json sets isolatedModules, so ts-jest transpiles file by file (type-checking is `npm run lint`'s).
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.json' }];

/** @type {import('jest').Config} */
module.exports = {
  // Global only: Jest ignores it inside `projects`.
  testTimeout: 30000,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      rootDir: '.',
      testMatch: ['<rootDir>/src/**/*.spec.ts'],
      transform: { '^.+\\.ts$': tsJest },
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      rootDir: '.',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/db/', 'startup\\.e2e-spec\\.ts$'],
      transform: { '^.+\\.ts$': tsJest },
    },
    {
      displayName: 'db',
      testEnvironment: 'node',
      rootDir: '.',
      testMatch: DB_SUITES,
      transform: { '^.+\\.ts$': tsJest },
    },
  ],
};
