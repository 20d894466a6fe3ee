import { Logger } from '@nestjs/common';
import { RATE_LIMITED } from './quota.constants';

/** The request fields a refusal names (Express, Fastify and raw Node requests all fit). */
export interface RoutedRequest {
  readonly method?: string;
  readonly url?: string;
  readonly route?: { readonly path?: unknown };
  readonly routeOptions?: { readonly url?: unknown };
}

/** One structured line per quota refusal: the event the library's AuthEvent cannot carry. */
export interface QuotaRefusal {
  readonly event: 'refused';
  readonly reason: typeof RATE_LIMITED;
  readonly status: 429;
  /** `partner` (a partner's quota) or `auth-failures` (failed authentications from one IP). */
  readonly policy: string;
  readonly clientId?: string;
  readonly ip?: string;
  /** `METHOD /route/pattern`: never the raw URL, which may carry a token in its query. */
  readonly route: string;
  readonly retryAfterSeconds: number;
}

const logger = new Logger('Quota');

export function logQuotaRefusal(refusal: Omit<QuotaRefusal, 'event' | 'reason' | 'status'>): void {
  const line: QuotaRefusal = { event: 'refused', reason: RATE_LIMITED, status: 429, ...refusal };
  logger.warn(line);
}

export function routeOf(request: RoutedRequest): string {
  const pattern = request.route?.path ?? request.routeOptions?.url;
  const path = typeof pattern === 'string' ? pattern : (request.url ?? '').split('?')[0];
  return `${request.method ?? 'UNKNOWN'} ${printable(path ?? '')}`;
}

/** Log-safe text: nothing outside printable ASCII. */
export function printable(text: string): string {
  return text.replace(/[^\x20-\x7E]/g, '?').slice(0, 200);
}
