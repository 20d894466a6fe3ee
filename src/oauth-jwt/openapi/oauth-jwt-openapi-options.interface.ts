/** Options of applyOAuthJwtOpenApi(). */
export interface OAuthJwtOpenApiOptions {
  /**
   * Token endpoint of the client credentials flow. `null` leaves it out of the document, for an app
   * that must start while the issuer is down: serve that document, discover the URL later (call
   * again without `tokenUrl`) and serve the new one.
   * @default discovered: the `token_endpoint` of the issuer's OpenID Connect or RFC 8414 metadata
   */
  tokenUrl?: string | null;
  /**
   * Scope descriptions (scope → text). Scopes listed here but required by no route are added to
   * the catalogue too.
   * @default each scope the routes require, described by the operations that use it
   */
  scopes?: Record<string, string>;
  /** Name of the security scheme in `components.securitySchemes`. @default 'oauth2' */
  schemeName?: string;
  /** Description of the security scheme. @default a sentence naming the issuer and the audience */
  description?: string;
}
