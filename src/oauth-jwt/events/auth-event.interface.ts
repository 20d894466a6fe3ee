import type { BearerErrorReason } from '../errors/bearer-error-reasons';

/** Event names used with `eventEmitter` (e.g. @nestjs/event-emitter's EventEmitter2). */
export const AUTH_EVENT_NAMES = {
  authenticated: 'oauth-jwt.authenticated',
  refused: 'oauth-jwt.refused',
} as const;

/** A request passed authentication: valid token, known partner (scope checks may follow). */
export interface AuthenticatedEvent {
  readonly type: 'authenticated';
  readonly clientId: string;
  readonly subject: string;
  /** `METHOD /route/pattern`, e.g. `GET /users/:id`. */
  readonly route: string;
  /** Whether the verified-token cache answered. */
  readonly cached: boolean;
  readonly timestamp: number;
}

/** A request was refused. Never carries the token. */
export interface RefusedEvent {
  readonly type: 'refused';
  /** Stable reason code (see the README's error table). */
  readonly reason: BearerErrorReason;
  readonly status: number;
  /** The partner's client id when the token was valid (403 refusals). */
  readonly clientId: string | undefined;
  readonly route: string;
  readonly timestamp: number;
}

export type AuthEvent = AuthenticatedEvent | RefusedEvent;

/** Anything with an `emit(name, payload)` method, such as EventEmitter2 or Node's EventEmitter. */
export interface AuthEventEmitter {
  emit(event: string, payload: AuthEvent): unknown;
}
