import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { hash } from 'node:crypto';
import { BearerTokenException, isBearerTokenException } from '../errors/bearer-token.exception';
import { OAUTH_JWT_RESOLVED_OPTIONS } from '../oauth-jwt.constants';
import type { ResolvedOAuthJwtOptions } from '../oauth-jwt-options.interface';
import type { OAuthPrincipal } from '../principal.interface';
import { PartnerCache, type PartnerCacheEntry } from './partner-cache';
import type { PartnerEntitlements } from './partner-entitlements.interface';

/** What a 503 `partner_unavailable` asks the client to wait before retrying. */
export const PARTNER_RETRY_AFTER_SECONDS = 5;

/**
 * Resolves the partner behind a principal through the app's resolver, then applies what the
 * partner carries (PartnerEntitlements). Only a partner object admits; every falsy answer is an
 * unknown partner (403). A resolver that throws or outlives `clientResolverTimeoutMs` is a 503
 * with `Retry-After`, never a 500. Verdicts live in the PartnerCache for `clientCache.ttlSeconds`,
 * keyed by the resolver's whole input (client id and claims) unless the app declares
 * `clientCache.keyBy: 'clientId'`; unknown partners and failures are not cached, and concurrent
 * misses for one key share one call.
 */
@Injectable()
export class PartnerResolver implements OnModuleInit {
  private readonly logger = new Logger('OAuthJwtModule');
  private readonly inFlight = new Map<string, Promise<PartnerCacheEntry>>();
  /** The cache key of a principal, computed once: a cached token hands back the same principal. */
  private readonly keys = new WeakMap<OAuthPrincipal, string>();

  constructor(
    @Inject(OAUTH_JWT_RESOLVED_OPTIONS) private readonly options: ResolvedOAuthJwtOptions,
    private readonly cache: PartnerCache,
  ) {}

  onModuleInit(): void {
    if (this.options.clientResolver) return;
    this.logger.warn(
      'No clientResolver is configured: every validly signed token for this audience is admitted ' +
        'and @Client() is undefined. Set clientResolver to admit only your partners.',
    );
  }

  /**
   * The partner's verdict, undefined when no resolver is configured. Answers synchronously when it
   * can (no resolver, a cached verdict, a synchronous resolver), so a warm request takes no extra
   * trip through the microtask queue. Throws (or rejects with) a BearerTokenException.
   */
  resolve(principal: OAuthPrincipal): PartnerCacheEntry | undefined | Promise<PartnerCacheEntry> {
    const resolver = this.options.clientResolver;
    if (!resolver) return undefined;
    const key = this.keyOf(principal);
    const cached = this.cache.get(key);
    if (cached) return cached;
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const generation = this.cache.currentGeneration();
    let answer: ReturnType<typeof resolver>;
    try {
      answer = resolver(principal.clientId, principal.claims);
    } catch (error) {
      throw unavailable(error);
    }
    if (!isPromiseLike(answer)) return this.admit(key, principal, answer, generation);
    const call = withTimeout(answer, this.options.clientResolverTimeoutMs)
      .then(
        (resolved) => this.admit(key, principal, resolved, generation),
        (error: unknown) => {
          throw unavailable(error);
        },
      )
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, call);
    return call;
  }

  /**
   * The principal this request acts as: refused (403 `partner_suspended`) unless the partner is
   * active, and holding only the token's scopes the partner is still granted. Derived once per
   * principal and verdict.
   */
  entitle(entry: PartnerCacheEntry, principal: OAuthPrincipal): OAuthPrincipal {
    const { status, grantedScopes } = entry.partner as PartnerEntitlements;
    // Anything but active (or none) refuses: a status the module does not know fails closed.
    if (status !== undefined && status !== 'active') {
      throw new BearerTokenException('partner_suspended');
    }
    if (grantedScopes === undefined) return principal;
    let effective = entry.effective.get(principal);
    if (!effective) {
      // A grant that is not a list of scopes grants nothing (fails closed).
      const granted: readonly unknown[] = Array.isArray(grantedScopes) ? grantedScopes : [];
      effective = Object.freeze({
        ...principal,
        scopes: Object.freeze(principal.scopes.filter((scope) => granted.includes(scope))),
      });
      entry.effective.set(principal, effective);
    }
    return effective;
  }

  private admit(
    key: string,
    principal: OAuthPrincipal,
    answer: unknown,
    generation: number,
  ): PartnerCacheEntry {
    if (typeof answer !== 'object' || answer === null) {
      throw new BearerTokenException('unknown_partner');
    }
    return this.cache.set(key, principal.clientId, answer, generation);
  }

  /** The resolver's input, or only the client id when the app declared that is all it reads. */
  private keyOf(principal: OAuthPrincipal): string {
    if (this.options.clientCache.keyBy === 'clientId') return principal.clientId;
    let key = this.keys.get(principal);
    if (key === undefined) {
      key = hash('sha256', `${principal.clientId}\0${JSON.stringify(principal.claims)}`, 'base64');
      this.keys.set(principal, key);
    }
    return key;
  }
}

/** The resolver's own refusal passes through; any other failure means the registry is down. */
function unavailable(error: unknown): BearerTokenException {
  if (isBearerTokenException(error)) return error;
  return new BearerTokenException('partner_unavailable', {
    retryAfterSeconds: PARTNER_RETRY_AFTER_SECONDS,
    cause: error,
  });
}

function withTimeout<T>(answer: PromiseLike<T>, timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`clientResolver did not answer within ${String(timeoutMs)} ms`));
    }, timeoutMs);
    Promise.resolve(answer).then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error('clientResolver rejected'));
      },
    );
  });
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
