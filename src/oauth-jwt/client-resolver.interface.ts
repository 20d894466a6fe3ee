import type { JwtClaims } from './principal.interface';

/**
 * What a resolver answers. Only the partner object admits the caller; every other answer
 * (`undefined`, `null`, `false`) is an unknown partner, refused with 403 `unknown_partner`.
 * A resolver that throws (its database is down) or takes longer than `clientResolverTimeoutMs`
 * gets 503 `partner_unavailable` with `Retry-After`; throw a BearerTokenException to refuse with
 * a reason of your own.
 */
export type ClientResolution<TClient extends object> = TClient | undefined | null | false;

/** Looks up the partner behind a verified token. */
export interface ClientResolver<TClient extends object = object> {
  resolve(
    clientId: string,
    claims: JwtClaims,
  ): Promise<ClientResolution<TClient>> | ClientResolution<TClient>;
}

/** The function form of ClientResolver. */
export type ClientResolveFn<TClient extends object = object> = ClientResolver<TClient>['resolve'];
