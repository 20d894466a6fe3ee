import type { JwtClaims } from './principal.interface';

/** Looks up the partner behind a verified token. Return undefined for an unknown client (403). */
export interface ClientResolver<TClient = unknown> {
  resolve(clientId: string, claims: JwtClaims): Promise<TClient | undefined> | TClient | undefined;
}

/** The function form of ClientResolver. */
export type ClientResolveFn<TClient = unknown> = ClientResolver<TClient>['resolve'];
