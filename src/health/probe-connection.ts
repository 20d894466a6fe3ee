import type { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';

/** How to ask one connection of the app whether it answers. */
export interface ConnectionProbe {
  /** Resolves when the connection answers in time; rejects otherwise. */
  answers: () => Promise<unknown>;
  /** Shown in both answers (the database's kind). */
  details?: Record<string, string>;
  /** The down answer's fixed message. */
  downMessage: string;
}

/**
 * Readiness of an optional connection (the database, Redis): up with `configured: false` when the
 * app has none, up when it answers, down with the fixed message when it does not. The cause stays
 * out of the answer (it may name hosts); the server log has it.
 */
export async function probeConnection(
  session: ReturnType<HealthIndicatorService['check']>,
  probe: ConnectionProbe | undefined,
): Promise<HealthIndicatorResult> {
  if (!probe) return session.up({ configured: false });
  try {
    await probe.answers();
    return session.up(probe.details);
  } catch {
    return session.down({ ...probe.details, message: probe.downMessage });
  }
}
