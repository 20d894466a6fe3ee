import { AppConfigError } from './app-config';
import { startupMode } from './startup-mode';

describe('startupMode', () => {
  it('is configured when OAUTH_ISSUER is set', () => {
    expect(startupMode({ OAUTH_ISSUER: 'https://issuer.example/', OAUTH_AUDIENCE: 'a' })).toBe(
      'configured',
    );
  });

  it.each([
    ['nothing set', {}],
    ['OAUTH_ISSUER empty', { OAUTH_ISSUER: '' }],
    [
      'OAUTH_ISSUER blank, others empty',
      { OAUTH_ISSUER: ' ', OAUTH_AUDIENCE: '', PARTNERS_FILE: '' },
    ],
    ['only variables demo mode uses', { PORT: '0', HOST: '0.0.0.0', HTTP_ADAPTER: 'fastify' }],
  ])('is the demo with %s', (_label, env) => {
    expect(startupMode(env)).toBe('demo');
  });

  it.each([
    [
      { OAUTH_AUDIENCE: 'https://api.example' },
      'Invalid environment: OAUTH_ISSUER is not set, but OAUTH_AUDIENCE is: set OAUTH_ISSUER to ' +
        'use your authorization server, or unset them all to run the demo (embedded authorization server)',
    ],
    [
      { PARTNERS_FILE: './partners.json', OAUTH_JWKS_URI: 'https://x/jwks', OAUTH_AUDIENCE: 'a' },
      'Invalid environment: OAUTH_ISSUER is not set, but OAUTH_AUDIENCE, OAUTH_JWKS_URI and ' +
        'PARTNERS_FILE are: set OAUTH_ISSUER',
    ],
    [
      { OAUTH_ISUSER: 'https://issuer.example/' },
      'Invalid environment: OAUTH_ISSUER is not set, but OAUTH_ISUSER is',
    ],
  ])('refuses to start the demo when other variables configure an issuer: %o', (env, message) => {
    expect(() => startupMode(env)).toThrow(AppConfigError);
    expect(() => startupMode(env)).toThrow(message);
  });
});
