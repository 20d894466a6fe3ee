import { Inject, Injectable, type InjectionToken, type Type } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';

/** How to ask one open connection whether it answers. */
export interface ConnectionProbe {
  /** Resolves when the connection answers in time; rejects otherwise. */
  answers: () => Promise<unknown>;
  /** Shown in both answers (the database's kind). */
  details?: Record<string, string>;
  /** The down answer's fixed message. */
  downMessage: string;
}

/** Readiness of one optional connection of the app, under its own key. */
export interface ConnectionHealthIndicator {
  /** Whether the app has the connection (readiness reports it only then). */
  readonly configured: boolean;
  isHealthy(): Promise<HealthIndicatorResult>;
}

/**
 * The one shape of the app's connection indicators, to extend: the connection under `token`
 * (null or undefined when the app has none) is up with `configured: false` when absent, up when
 * `probe` answers, down with the fixed message when it does not. The cause stays out of the answer
 * (it may name hosts); the server log has it.
 */
export function ConnectionHealthIndicator<T>(
  token: InjectionToken<T>,
  key: string,
  probe: (connection: T) => ConnectionProbe,
): Type<ConnectionHealthIndicator> {
  @Injectable()
  class Indicator implements ConnectionHealthIndicator {
    constructor(
      @Inject(token) private readonly connection: T | null | undefined,
      private readonly health: HealthIndicatorService,
    ) {}

    get configured(): boolean {
      return this.connection !== null && this.connection !== undefined;
    }

    async isHealthy(): Promise<HealthIndicatorResult> {
      const session = this.health.check(key);
      if (this.connection === null || this.connection === undefined) {
        return session.up({ configured: false });
      }
      const { answers, details, downMessage } = probe(this.connection);
      try {
        await answers();
        return session.up(details);
      } catch {
        return session.down({ ...details, message: downMessage });
      }
    }
  }
  return Indicator;
}
