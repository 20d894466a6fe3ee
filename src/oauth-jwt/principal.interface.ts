/** The verified claims of an access token (JSON object, read-only). */
export type JwtClaims = Readonly<Record<string, unknown>>;

/** Who is calling: built once per verified token and put on `request.user`. */
export interface OAuthPrincipal {
  /** The token's `sub`. */
  readonly subject: string;
  /** The partner's client id: `sub`, with Auth0's `@clients` suffix removed. */
  readonly clientId: string;
  /** Every scope the token grants, from all configured scope claims, de-duplicated. */
  readonly scopes: readonly string[];
  /** The verified claims, frozen. */
  readonly claims: JwtClaims;
  /** The token's `exp`, in seconds since the epoch. */
  readonly expiresAt: number;
}
