import {
  chromium,
  type Browser,
  type BrowserContext,
  type Locator,
  type Page,
} from 'playwright-core';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
export const WAIT_MS = 20_000;

/** Debian's headless Chromium, with nothing that phones home. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
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
}

/** What the page asked for, and what was refused for leaving the allowed origins. */
export interface RequestLog {
  readonly requested: string[];
  readonly blocked: string[];
}

/** A browser context that may reach `origins` only (no CDN, no validator), logging every request. */
export async function contextLimitedTo(
  browser: Browser,
  origins: readonly string[],
): Promise<{ context: BrowserContext; log: RequestLog }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1100 } });
  context.setDefaultTimeout(WAIT_MS);
  const allowed = new Set(origins.map((origin) => new URL(origin).origin));
  const log: RequestLog = { requested: [], blocked: [] };
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    log.requested.push(url);
    if (url.startsWith('data:') || allowed.has(new URL(url).origin)) {
      await route.continue();
    } else {
      log.blocked.push(url);
      await route.abort();
    }
  });
  return { context, log };
}

/** Opens Swagger UI's Authorize dialog and returns it. */
export async function openAuthorizeDialog(page: Page): Promise<Locator> {
  await page.locator('.auth-wrapper .btn.authorize').click();
  const dialog = page.locator('.modal-ux');
  await dialog.waitFor();
  return dialog;
}

/**
 * In the open Authorize dialog: client credentials with every scope, Authorize (Swagger UI then
 * asks the token endpoint from the browser), wait until it shows Logout, close the dialog.
 */
export async function authorize(
  dialog: Locator,
  clientId: string,
  clientSecret: string,
): Promise<void> {
  await dialog.locator('input[data-name="clientId"]').fill(clientId);
  await dialog.locator('input[data-name="clientSecret"]').fill(clientSecret);
  await dialog.locator('.scopes a', { hasText: 'select all' }).click();
  await dialog.locator('button.authorize').click();
  await dialog.locator('button', { hasText: 'Logout' }).waitFor();
  await dialog.locator('button.btn-done').click();
}

/** "Try it out" then "Execute" on GET /users; returns the live response's status and body text. */
export async function tryListUsers(page: Page): Promise<{ status: string; body: string }> {
  const list = page.locator('#operations-Users-UsersController_list');
  await list.locator('.opblock-summary').click();
  await list.locator('button.try-out__btn').click();
  await list.locator('button.execute').click();
  const response = list.locator('.live-responses-table .response').first();
  const status = response.locator('.response-col_status');
  await status.waitFor();
  return {
    status: (await status.innerText()).trim(),
    body: await response.locator('.response-col_description .microlight').first().innerText(),
  };
}
