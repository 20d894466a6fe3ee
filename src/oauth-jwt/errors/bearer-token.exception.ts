import { HttpException } from '@nestjs/common';
import {
  BEARER_ERROR_REASONS,
  type BearerErrorCode,
  type BearerErrorReason,
} from './bearer-error-reasons';

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  503: 'Service Unavailable',
};

/**
 * The one exception every refusal of the module is thrown as. It extends HttpException so that
 * even without BearerTokenExceptionFilter the status and body are right; the filter adds the
 * `WWW-Authenticate` challenge and `Retry-After`.
 */
export class BearerTokenException extends HttpException {
  readonly reason: BearerErrorReason;
  readonly error: BearerErrorCode | undefined;
  readonly description: string;
  /** Scopes to name in the `scope` attribute of an `insufficient_scope` challenge. */
  readonly requiredScopes: readonly string[];
  /** Seconds to put in `Retry-After` (503 only). */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    reason: BearerErrorReason,
    details: {
      requiredScopes?: readonly string[];
      retryAfterSeconds?: number;
      cause?: unknown;
    } = {},
  ) {
    const spec = BEARER_ERROR_REASONS[reason];
    const status = spec.status;
    super({ statusCode: status, error: STATUS_TEXT[status], message: spec.description }, status, {
      cause: details.cause,
    });
    this.name = 'BearerTokenException';
    this.reason = reason;
    this.error = 'error' in spec ? spec.error : undefined;
    this.description = spec.description;
    this.requiredScopes = details.requiredScopes ?? [];
    this.retryAfterSeconds = details.retryAfterSeconds;
  }
}

/** True for a BearerTokenException, also across module copies (matched on name, not instanceof). */
export function isBearerTokenException(value: unknown): value is BearerTokenException {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { name?: unknown }).name === 'BearerTokenException' &&
    typeof (value as { reason?: unknown }).reason === 'string'
  );
}
