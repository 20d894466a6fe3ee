import { AppConfigError } from './app-config';
import { loadScaleConfig } from './scale-config';

describe('loadScaleConfig', () => {
  it('reads the environment with its defaults: quotas on, no Redis, info logs', () => {
    expect(loadScaleConfig({})).toEqual({
      quota: { partnerRateLimit: 600, authFailureLimit: 60 },
      logging: { level: 'info' },
    });
  });

  it('takes PARTNER_RATE_LIMIT, AUTH_FAILURE_LIMIT (0 turns off), REDIS_URL and LOG_LEVEL', () => {
    expect(
      loadScaleConfig({
        PARTNER_RATE_LIMIT: '120',
        AUTH_FAILURE_LIMIT: '0',
        REDIS_URL: 'redis://127.0.0.1:6380/2',
        LOG_LEVEL: 'warn',
      }),
    ).toEqual({
      quota: { partnerRateLimit: 120, authFailureLimit: 0 },
      redisUrl: 'redis://127.0.0.1:6380/2',
      logging: { level: 'warn' },
    });
  });

  it.each([
    ['PARTNER_RATE_LIMIT', '-1'],
    ['PARTNER_RATE_LIMIT', '1.5'],
    ['AUTH_FAILURE_LIMIT', 'ten'],
    ['REDIS_URL', 'http://127.0.0.1:6379'],
    ['REDIS_URL', 'not a url'],
    ['LOG_LEVEL', 'verbose'],
  ])('fails fast naming %s when it is %p', (name, value) => {
    expect(() => loadScaleConfig({ [name]: value })).toThrow(AppConfigError);
    expect(() => loadScaleConfig({ [name]: value })).toThrow(name);
  });
});
