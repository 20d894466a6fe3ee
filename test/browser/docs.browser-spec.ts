import type { Browser, Page } from 'playwright-core';
import { createTestIssuer, type TestIssuer } from '../../src/oauth-jwt/testing';
import { dxConfig, startDxApp, type DxApp } from '../dx/support/dx-app';
import {
  authorize,
  contextLimitedTo,
  launchChromium,
  openAuthorizeDialog,
  tryListUsers,
  WAIT_MS,
  type RequestLog,
} from './support/swagger-ui';

const SCREENSHOT = '/tmp/docs.png';
const SCREENSHOT_TRY_IT_OUT = '/tmp/docs-try-it-out.png';

/** /docs-json once background discovery has put the token URL in it (bounded). */
async function tokenUrlDiscovered(url: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const response = await fetch(`${url}/docs-json`);
    if ((await response.text()).includes('"tokenUrl"')) return;
    if (Date.now() > deadline) throw new Error('/docs-json never got a token URL');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Swagger UI of the sample in headless Chromium: the page loads with nothing from outside the
 * test's own servers, lists the operations with their locks, and its Authorize dialog offers the
 * client-credentials flow with the scope catalogue. Then it gets a token from the test issuer
 * through that dialog and calls GET /users with it.
 */
describe('Swagger UI at /docs (headless Chromium)', () => {
  let issuer: TestIssuer;
  let api: DxApp;
  let browser: Browser;
  let page: Page;
  let log: RequestLog;
  /** What beforeAll started, closed in reverse order even if beforeAll failed half-way. */
  const started: { close(): Promise<unknown> }[] = [];

  beforeAll(async () => {
    issuer = await createTestIssuer({ audience: 'https://partner-api.test' });
    started.push(issuer);
    api = await startDxApp(dxConfig(issuer));
    started.push(api);
    await tokenUrlDiscovered(api.url);
    browser = await launchChromium();
    started.push(browser);
    // Only the app and the test issuer (its token endpoint) may be reached: no CDN, no validator.
    const limited = await contextLimitedTo(browser, [api.url, issuer.url]);
    log = limited.log;
    page = await limited.context.newPage();
    await page.goto(`${api.url}/docs`, { waitUntil: 'load' });
    await page.locator('.opblock').first().waitFor();
  });

  afterAll(async () => {
    for (const resource of started.reverse()) await resource.close();
  });

  it('loads everything from the app itself: no request leaves the test servers', () => {
    expect(log.blocked).toEqual([]);
    expect(log.requested).toEqual(
      expect.arrayContaining([
        `${api.url}/docs`,
        `${api.url}/docs/swagger-ui-bundle.js`,
        `${api.url}/docs/swagger-ui-init.js`,
      ]),
    );
  });

  it('lists the operations, with a lock on each protected one and none on /health', async () => {
    const operations = [];
    for (const block of await page.locator('.opblock').all()) {
      const method = await block.locator('.opblock-summary-method').innerText();
      const path = await block.locator('.opblock-summary-path').getAttribute('data-path');
      const locked = (await block.locator('.authorization__btn').count()) > 0;
      operations.push({ operation: `${method} ${path ?? ''}`, locked });
    }
    expect(operations).toEqual(
      expect.arrayContaining([
        { operation: 'GET /users', locked: true },
        { operation: 'POST /users', locked: true },
        { operation: 'GET /users/{id}', locked: true },
        { operation: 'DELETE /users/{id}', locked: true },
        { operation: 'GET /partners/me', locked: true },
        { operation: 'GET /health', locked: false },
        { operation: 'GET /health/ready', locked: false },
      ]),
    );
    expect(operations).toHaveLength(7);
  });

  it('opens the Authorize dialog: client credentials, the token URL and every scope', async () => {
    const dialog = await openAuthorizeDialog(page);
    const text = await dialog.innerText();
    expect(text).toContain('oauth2 (OAuth2, clientCredentials)');
    expect(text).toContain(issuer.tokenEndpoint);
    for (const [scope, description] of [
      ['list:users', 'List your users (GET /users)'],
      ['read:users', 'Read one of your users (GET /users/{id})'],
      ['create:users', 'Create a user (POST /users)'],
      ['delete:users', 'Delete one of your users (DELETE /users/{id})'],
    ]) {
      expect(text).toContain(scope);
      expect(text).toContain(description);
    }
    await page.screenshot({ path: SCREENSHOT });
  });

  it('gets a token through the dialog and calls GET /users with it (Try it out)', async () => {
    await authorize(page.locator('.modal-ux'), 'partner-a', 'any-secret');
    const { status } = await tryListUsers(page);
    // 200, not 401: the request carried the token Swagger UI got from the issuer.
    expect(status).toBe('200');
    expect(log.requested).toContain(issuer.tokenEndpoint);
    await page.screenshot({ path: SCREENSHOT_TRY_IT_OUT, fullPage: true });
  });
});
