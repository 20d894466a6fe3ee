/** When a background retry runs again: doubling delays, capped, a bounded number of attempts. */
export interface RetrySchedule {
  /** Delay after the first failed attempt. */
  readonly initialDelayMs: number;
  /** Largest delay between two attempts. */
  readonly maxDelayMs: number;
  /** Attempts in all (the first one included) before giving up. */
  readonly maxAttempts: number;
}

/** Stops a retry started by retryInBackground(). */
export interface BackgroundRetry {
  /** No further attempt starts; one under way finishes and is ignored. Safe to call repeatedly. */
  stop(): void;
}

/**
 * Runs `attempt` now, then again after 1, 2, 4... × `initialDelayMs` (at most `maxDelayMs`) until
 * it resolves true, `maxAttempts` attempts failed (then `onGiveUp` runs) or stop() is called. A
 * rejection counts as a failure. The timers are unref'd: a pending retry never keeps the process
 * alive.
 */
export function retryInBackground(
  attempt: () => Promise<boolean>,
  schedule: RetrySchedule,
  onGiveUp: (attempts: number) => void = () => undefined,
): BackgroundRetry {
  let stopped = false;
  let attempts = 0;
  let timer: NodeJS.Timeout | undefined;

  const run = async (): Promise<void> => {
    timer = undefined;
    attempts += 1;
    const succeeded = await attempt().catch(() => false);
    if (stopped || succeeded) {
      stopped = true;
      return;
    }
    if (attempts >= schedule.maxAttempts) {
      stopped = true;
      onGiveUp(attempts);
      return;
    }
    const delay = Math.min(schedule.maxDelayMs, schedule.initialDelayMs * 2 ** (attempts - 1));
    timer = setTimeout(() => void run(), delay).unref();
  };

  void run();
  return {
    stop: () => {
      stopped = true;
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
