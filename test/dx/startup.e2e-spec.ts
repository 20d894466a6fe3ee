import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { bootstrap, type RunningApp } from '../../src/bootstrap';
import { DEMO_AUDIENCE, DEMO_BANNER, DEMO_SCOPES } from '../../src/dev-issuer/demo';
import { DevIssuer } from '../../src/dev-issuer/dev-issuer';
import { closedPortUrl } from './support/dx-app';

/** The sample as `node dist/main.js` starts it (src/main.ts calls bootstrap with process.env). */
const WAIT_MS = 20_000;
jest.setTimeout(60_000);

const PARTNER = { clientId: 'partner-a', clientSecret: 'partner-a-secret', scopes: DEMO_SCOPES };

function partnersFile(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'startup-')), 'partners.json');
  writeFileSync(file, JSON.stringify([{ clientId: PARTNER.clientId, name: 'Acme' }]));
  return file;
}

/** The sample keeps its embedded database (and the demo issuer's state) here: one per app. */
function dataDir(): string {
  return mkdtempSync(join(tmpdir(), 'startup-data-'));
}

interface ClientCredentialsFlow {
  tokenUrl?: string;
  scopes: Record<string, string>;
}

async function clientCredentialsFlow(url: string): Promise<ClientCredentialsFlow> {
  const response = await request(url).get('/docs-json').expect(200);
  const body = response.body as {
    components: {
      securitySchemes: { oauth2: { flows: { clientCredentials: ClientCredentialsFlow } } };
    };
  };
  return body.components.securitySchemes.oauth2.flows.clientCredentials;
}

/** Polls until `check` holds (at most WAIT_MS). */
async function eventually(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${WAIT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('sample start-up with the authorization server down', () => {
  let running: RunningApp | undefined;
  let issuer: DevIssuer | undefined;

  afterAll(async () => {
    await running?.close();
    await issuer?.stop();
  });

  it('starts, answers /health and /docs-json, and the token URL appears once the issuer is up', async () => {
    const issuerUrl = await closedPortUrl();
    running = await bootstrap(
      {
        OAUTH_ISSUER: issuerUrl,
        OAUTH_AUDIENCE: DEMO_AUDIENCE,
        PARTNERS_FILE: partnersFile(),
        PORT: '0',
        DATA_DIR: dataDir(),
      },
      { logger: false },
    );
    const { url } = running;
    await request(url).get('/health').expect(200);
    const before = await clientCredentialsFlow(url);
    expect(before.tokenUrl).toBeUndefined();
    expect(Object.keys(before.scopes)).toEqual(expect.arrayContaining(['list:users']));

    issuer = await DevIssuer.start({
      port: Number(new URL(issuerUrl).port),
      audience: DEMO_AUDIENCE,
      scopes: DEMO_SCOPES,
      clients: [PARTNER],
    });
    expect(issuer.issuer).toBe(issuerUrl);
    const live = issuer;
    await eventually(async () => (await clientCredentialsFlow(url)).tokenUrl !== undefined);
    expect((await clientCredentialsFlow(url)).tokenUrl).toBe(live.tokenEndpoint);
    // Swagger UI's page builds on the same document.
    const init = await request(url).get('/docs/swagger-ui-init.js').expect(200);
    expect(init.text).toContain(`"tokenUrl": "${live.tokenEndpoint}"`);
    // And the API now verifies the issuer's tokens.
    const token = await live.getToken(PARTNER.clientId, PARTNER.clientSecret, ['list:users']);
    await request(url).get('/users').auth(token, { type: 'bearer' }).expect(200);
  });
});

describe('sample start-up: demo mode or configured, never a silent mix', () => {
  it('refuses OAUTH_* or PARTNERS_FILE without OAUTH_ISSUER, naming them, before starting anything', async () => {
    const print = jest.fn();
    await expect(
      bootstrap(
        { OAUTH_AUDIENCE: 'https://api.example', PARTNERS_FILE: './partners.json', PORT: '0' },
        { print, logger: false },
      ),
    ).rejects.toThrow(
      'Invalid environment: OAUTH_ISSUER is not set, but OAUTH_AUDIENCE and PARTNERS_FILE are: ' +
        'set OAUTH_ISSUER to use your authorization server, or unset them all to run the demo',
    );
    expect(print).not.toHaveBeenCalled();
  });

  describe('demo mode (nothing configured)', () => {
    let running: RunningApp;
    const prints: string[] = [];
    let printed = '';

    beforeAll(async () => {
      running = await bootstrap(
        { PORT: '0', DATA_DIR: dataDir() },
        {
          print: (text) => {
            prints.push(text);
          },
          logger: false,
        },
      );
      printed = prints.join('');
    });

    afterAll(async () => {
      await running.close();
    });

    it('says loudly that it is the demo, first thing, and how to leave it', () => {
      const [banner, instructions] = prints;
      expect(banner).toBe(DEMO_BANNER);
      expect(banner).toContain(
        `${'='.repeat(78)}\nDEMO MODE: embedded authorization server, not for production.\n`,
      );
      expect(banner).toContain('set OAUTH_ISSUER, OAUTH_AUDIENCE and\nPARTNERS_FILE');
      expect(instructions).toContain(DEMO_BANNER);
      expect(instructions).toContain(`Swagger UI: open ${running.url}/docs, click Authorize`);
    });

    it("lets Swagger UI on the API's origin get a token from the embedded issuer (CORS), no other origin", async () => {
      const demo = running.demo!;
      const [client] = demo.clients;
      expect(printed).toContain(`client_secret: ${client!.clientSecret}`);
      const tokenRequest = (origin: string) =>
        request(demo.issuer.tokenEndpoint)
          .post('')
          .set('Origin', origin)
          .auth(client!.clientId, client!.clientSecret)
          .type('form')
          .send({ grant_type: 'client_credentials', scope: 'list:users' });

      const allowed = await tokenRequest(running.url).expect(200);
      expect(allowed.headers['access-control-allow-origin']).toBe(running.url);
      await request(running.url)
        .get('/users')
        .auth((allowed.body as { access_token: string }).access_token, { type: 'bearer' })
        .expect(200)
        .expect((response) => {
          expect(response.body).toEqual(
            expect.arrayContaining([expect.objectContaining({ name: 'Grace Hopper' })]),
          );
        });

      const refused = await tokenRequest('http://evil.example').expect(400);
      expect(refused.headers['access-control-allow-origin']).toBeUndefined();
    });
  });
});
