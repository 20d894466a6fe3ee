import { chromium, type Browser, type Page } from 'playwright-core';
import { createTestIssuer, type TestIssuer } from '../../src/oauth-jwt/testing';
import { dxConfig, startDxApp, type DxApp } from '../dx/support/dx-app';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const SCREENSHOT = '/tmp/docs.png';
const SCREENSHOT_TRY_IT_OUT = '/tmp/docs-try-it-out.png';
const WAIT_MS = 20_000;

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
  /** What beforeAll started, closed in reverse order even if beforeAll failed half-way. */
  const started: { close(): Promise<unknown> }[] = [];
  const requested: string[] = [];
  const blocked: string[] = [];

  beforeAll(async () => {
    issuer = await createTestIssuer({ audience: 'https://partner-api.test' });
    started.push(issuer);
    api = await startDxApp(dxConfig(issuer));
    started.push(api);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      timeout: WAIT_MS,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    started.push(browser);
    const context = await browser.newContext({ viewport: { width: 1280, height: 1100 } });
    context.setDefaultTimeout(WAIT_MS);
    // Only the app and the test issuer (its token endpoint) may be reached: no CDN, no validator.
    const allowed = new Set([new URL(api.url).origin, new URL(issuer.url).origin]);
    await context.route('**/*', async (route) => {
      const url = route.request().url();
      requested.push(url);
      if (url.startsWith('data:') || allowed.has(new URL(url).origin)) {
        await route.continue();
      } else {
        blocked.push(url);
        await route.abort();
      }
    });
    page = await context.newPage();
    await page.goto(`${api.url}/docs`, { waitUntil: 'load' });
    await page.locator('.opblock').first().waitFor();
  });

  afterAll(async () => {
    for (const resource of started.reverse()) await resource.close();
  });

  it('loads everything from the app itself: no request leaves the test servers', () => {
    expect(blocked).toEqual([]);
    expect(requested).toEqual(
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
    await page.locator('.auth-wrapper .btn.authorize').click();
    const dialog = page.locator('.modal-ux');
    await dialog.waitFor();
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
    const dialog = page.locator('.modal-ux');
    await dialog.locator('input[data-name="clientId"]').fill('partner-a');
    await dialog.locator('input[data-name="clientSecret"]').fill('any-secret');
    await dialog.locator('.scopes a', { hasText: 'select all' }).click();
    await dialog.locator('button.authorize').click();
    await dialog.locator('button', { hasText: 'Logout' }).waitFor();
    await dialog.locator('button.btn-done').click();

    const list = page.locator('#operations-Users-UsersController_list');
    await list.locator('.opblock-summary').click();
    await list.locator('button.try-out__btn').click();
    await list.locator('button.execute').click();
    const status = list.locator('.live-responses-table .response .response-col_status');
    await status.first().waitFor();
    // 200, not 401: the request carried the token Swagger UI got from the issuer.
    expect((await status.first().innerText()).trim()).toBe('200');
    expect(requested).toContain(issuer.tokenEndpoint);
    await page.screenshot({ path: SCREENSHOT_TRY_IT_OUT, fullPage: true });
  });
});
