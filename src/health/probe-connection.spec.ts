import { HealthIndicatorService } from '@nestjs/terminus';
import { probeConnection } from './probe-connection';

const session = () => new HealthIndicatorService().check('store');

describe('probeConnection', () => {
  it('answers up with configured: false when the app has no such connection', async () => {
    await expect(probeConnection(session(), undefined)).resolves.toEqual({
      store: { configured: false, status: 'up' },
    });
  });

  it('answers up, with the details, when the connection answers', async () => {
    const probe = {
      answers: () => Promise.resolve('PONG'),
      details: { kind: 'x' },
      downMessage: 'm',
    };
    await expect(probeConnection(session(), probe)).resolves.toEqual({
      store: { kind: 'x', status: 'up' },
    });
  });

  it('answers down with the fixed message, never the cause, when the connection fails', async () => {
    const answers = () => Promise.reject(new Error('connect ECONNREFUSED db.internal:5432'));
    const result = await probeConnection(session(), { answers, downMessage: 'It does not answer' });
    expect(result).toEqual({ store: { message: 'It does not answer', status: 'down' } });
    expect(JSON.stringify(result)).not.toContain('db.internal');
  });
});
