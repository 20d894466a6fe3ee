// The headless Chromium suite (`npm run test:browser`, through scripts/browser-test.js): kept out of
// `npm test`, whose projects match only *.spec.ts under src/ and *.e2e-spec.ts under test/.
/** @type {import('jest').Config} */
module.exports = {
  rootDir: '../..',
  displayName: 'browser',
  testEnvironment: 'node',
  testTimeout: 90000,
  testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', isolatedModules: true }] },
};
