import type { Browser, Page } from 'playwright-core';
import { startDemoProcess, type DemoProcess } from './support/demo-process';
import {
  authorize,
  contextLimitedTo,
  launchChromium,
  openAuthorizeDialog,
  tryListUsers,
  type RequestLog,
} from './support/swagger-ui';

const SCREENSHOT = '/tmp/demo-docs-try-it-out.png';

/**
 * The demo as a new user runs it (`node dist/main.js` with nothing configured): Swagger UI's
 * Authorize gets a token from the demo's embedded authorization server, from the browser (so
 * through its CORS policy), and Try it out on GET /users answers 200 with the seeded users.
 */
describe('the demo in headless Chromium: /docs Authorize against the embedded issuer', () => {
  let demo: DemoProcess;
  let browser: Browser;
  let page: Page;
  let log: RequestLog;
  const started: { close(): Promise<unknown> }[] = [];

  beforeAll(async () => {
    demo = await startDemoProcess();
    started.push(demo);
    browser = await launchChromium();
    started.push(browser);
    const limited = await contextLimitedTo(browser, [demo.apiUrl, demo.issuer]);
    log = limited.log;
    page = await limited.context.newPage();
    await page.goto(`${demo.apiUrl}/docs`, { waitUntil: 'load' });
    await page.locator('.opblock').first().waitFor();
  });

  afterAll(async () => {
    for (const resource of started.reverse()) await resource.close();
  });

  it('prints the demo banner and the Swagger UI credentials', () => {
    expect(demo.output()).toContain(
      'DEMO MODE: embedded authorization server, not for production.',
    );
    expect(demo.clientId).toBe('partner-a');
  });

  it('authorizes with the printed client and lists the users (Try it out: 200)', async () => {
    const dialog = await openAuthorizeDialog(page);
    expect(await dialog.innerText()).toContain(`${demo.issuer}/token`);
    await authorize(dialog, demo.clientId, demo.clientSecret);
    const { status, body } = await tryListUsers(page);
    expect(status).toBe('200');
    expect(body).toContain('Grace Hopper');
    expect(body).toContain('Alan Turing');
    expect(body).not.toContain('Edsger Dijkstra'); // partner-b's user
    expect(log.requested).toContain(`${demo.issuer}/token`);
    expect(log.blocked).toEqual([]);
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  });
});
