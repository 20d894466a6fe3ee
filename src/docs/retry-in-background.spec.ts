import { retryInBackground, type RetrySchedule } from './retry-in-background';

const SCHEDULE: RetrySchedule = { initialDelayMs: 1_000, maxDelayMs: 4_000, maxAttempts: 6 };

/** An attempt that fails `failures` times, then succeeds; records when it ran (fake ms). */
function flakyAttempt(failures: number, outcome: 'false' | 'reject' = 'false') {
  const runs: number[] = [];
  const attempt = jest.fn(() => {
    runs.push(Date.now());
    if (runs.length > failures) return Promise.resolve(true);
    return outcome === 'false' ? Promise.resolve(false) : Promise.reject(new Error('down'));
  });
  return { attempt, runs };
}

describe('retryInBackground', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: 0 });
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('runs now, then after doubling delays capped at maxDelayMs, and stops once it succeeds', async () => {
    const { attempt, runs } = flakyAttempt(4);
    retryInBackground(attempt, SCHEDULE);
    await jest.advanceTimersByTimeAsync(60_000);
    // Delays 1 s, 2 s, 4 s, then 4 s (the cap); the fifth attempt succeeds and nothing follows.
    expect(runs).toEqual([0, 1_000, 3_000, 7_000, 11_000]);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('counts a rejected attempt as a failure', async () => {
    const { attempt, runs } = flakyAttempt(1, 'reject');
    retryInBackground(attempt, SCHEDULE);
    await jest.advanceTimersByTimeAsync(10_000);
    expect(runs).toEqual([0, 1_000]);
  });

  it('gives up after maxAttempts, telling onGiveUp how many ran', async () => {
    const { attempt } = flakyAttempt(Infinity);
    const onGiveUp = jest.fn();
    retryInBackground(attempt, SCHEDULE, onGiveUp);
    await jest.advanceTimersByTimeAsync(600_000);
    expect(attempt).toHaveBeenCalledTimes(6);
    expect(onGiveUp).toHaveBeenCalledWith(6);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('starts no attempt after stop(), even when one was under way', async () => {
    let finish: (value: boolean) => void = () => undefined;
    const attempt = jest.fn(
      () =>
        new Promise<boolean>((resolve) => {
          finish = resolve;
        }),
    );
    const retry = retryInBackground(attempt, SCHEDULE);
    retry.stop();
    finish(false);
    await jest.advanceTimersByTimeAsync(600_000);
    expect(attempt).toHaveBeenCalledTimes(1);
    expect(jest.getTimerCount()).toBe(0);

    const { attempt: second } = flakyAttempt(Infinity);
    const waiting = retryInBackground(second, SCHEDULE);
    await jest.advanceTimersByTimeAsync(0);
    expect(jest.getTimerCount()).toBe(1);
    waiting.stop();
    expect(jest.getTimerCount()).toBe(0);
  });
});

describe('retryInBackground timers', () => {
  it('are unref’d: a pending retry never keeps the process alive', async () => {
    const setTimeoutSpy = jest.spyOn(global, 'setTimeout');
    const retry = retryInBackground(() => Promise.resolve(false), SCHEDULE);
    await new Promise((resolve) => setImmediate(resolve));
    try {
      const timer = setTimeoutSpy.mock.results[0]?.value as NodeJS.Timeout;
      expect(timer.hasRef()).toBe(false);
    } finally {
      retry.stop();
      setTimeoutSpy.mockRestore();
    }
  });
});
