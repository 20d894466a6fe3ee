import type { JwtClaims } from '../principal.interface';
import type { AudienceRule, ProviderProfile } from '../oauth-jwt-options.interface';

/**
 * How one provider shapes a client-credentials access token: where the client id, the scopes and
 * the audience are, and how a token issued to the client itself (not to a user through it) is
 * told apart. Each entry cites the provider's documentation of its access tokens.
 */
export interface ProfileRules {
  /** Claims the client id is read from, the first present (a non-empty string) wins. */
  readonly clientIdClaims: readonly string[];
  /** A suffix the provider appends to the client id in that claim, stripped once. */
  readonly clientIdSuffix: string | undefined;
  readonly scopeClaims: readonly string[];
  readonly audienceRule: AudienceRule;
  /** Claims that, when present, must equal the client id in a client-credentials token. */
  readonly sameClientClaims: readonly string[];
  /** Claims that, when present, must have this exact value (else: not an access token). */
  readonly accessTokenClaims: Readonly<Record<string, string>>;
  /** A provider-specific test that the token was issued to the client for itself. */
  readonly issuedToClient?: (claims: JwtClaims, clientId: string) => boolean;
}

const CLIENT_CLAIMS = ['client_id', 'azp'];

/** A frozen claim list: resolved options hand these out, and resolved options are read-only. */
const claims = (...names: string[]): readonly string[] => Object.freeze(names);

export const PROFILE_RULES: Readonly<Record<ProviderProfile, ProfileRules>> = {
  /**
   * RFC 9068 §2.2: `client_id` is required and, for a client-credentials grant, `sub` names the
   * client itself (§5); node-oidc-provider issues exactly this. A user token names its user in
   * `sub` and the client in `client_id`, so they disagree.
   */
  generic: {
    clientIdClaims: claims('sub'),
    clientIdSuffix: undefined,
    scopeClaims: claims('scope', 'scp', 'permissions'),
    audienceRule: 'aud',
    sameClientClaims: claims(...CLIENT_CLAIMS),
    accessTokenClaims: Object.freeze({}),
  },
  /**
   * Auth0, "Access token profiles" (https://auth0.com/docs/secure/tokens/access-tokens/access-token-profiles):
   * for a machine-to-machine client-credentials token `sub` is `<client id>@clients`, `azp`
   * (Auth0 profile) or `client_id` (RFC 9068 profile) is the client id, `gty` is
   * `client-credentials`; a user's token has `sub` = the user id (`auth0|…`). Scopes are in
   * `scope`, RBAC permissions in `permissions`.
   */
  auth0: {
    clientIdClaims: claims('sub'),
    clientIdSuffix: '@clients',
    scopeClaims: claims('scope', 'permissions'),
    audienceRule: 'aud',
    sameClientClaims: claims(...CLIENT_CLAIMS),
    accessTokenClaims: { gty: 'client-credentials' },
  },
  /**
   * Okta, "Access token claims" (https://developer.okta.com/docs/reference/api/oidc/#access-token):
   * `cid` is the client id, `sub` is the client id in a client-credentials token and the user's
   * login in a user token (which also carries `uid`); scopes are the array `scp`.
   */
  okta: {
    clientIdClaims: claims('sub'),
    clientIdSuffix: undefined,
    scopeClaims: claims('scp'),
    audienceRule: 'aud',
    sameClientClaims: claims('cid', ...CLIENT_CLAIMS),
    accessTokenClaims: Object.freeze({}),
    issuedToClient: (claims) => claims['uid'] === undefined,
  },
  /**
   * Microsoft Entra ID, "Access token claims reference"
   * (https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference): the
   * client's application id is `azp` (v2.0) or `appid` (v1.0); `sub`/`oid` name the service
   * principal. An app-only token carries application permissions in `roles` and no `scp`;
   * `idtyp` (optional claim) is `app` ("Configure idtyp token claim",
   * https://learn.microsoft.com/entra/identity-platform/how-to-web-app-node-sign-in-call-api-prepare-tenant).
   */
  entra: {
    clientIdClaims: claims('azp', 'appid'),
    clientIdSuffix: undefined,
    scopeClaims: claims('roles'),
    audienceRule: 'aud',
    sameClientClaims: claims('azp', 'appid'),
    accessTokenClaims: Object.freeze({}),
    issuedToClient: (claims) =>
      claims['scp'] === undefined && (claims['idtyp'] === undefined || claims['idtyp'] === 'app'),
  },
  /**
   * Keycloak, "Service accounts" (Server Administration Guide): a client-credentials token is
   * issued to the client's service-account user: `azp` is the client id, `sub` the service
   * account's user id, `preferred_username` is `service-account-<client id>`, and the
   * `service_account` client scope adds `client_id`. A user's token names the user instead.
   */
  keycloak: {
    clientIdClaims: claims('azp'),
    clientIdSuffix: undefined,
    scopeClaims: claims('scope'),
    audienceRule: 'aud',
    sameClientClaims: claims('client_id'),
    accessTokenClaims: Object.freeze({}),
    issuedToClient: (claims, clientId) =>
      claims['client_id'] === clientId ||
      claims['preferred_username'] === `service-account-${clientId}`,
  },
  /**
   * Amazon Cognito, "Understanding the access token"
   * (https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-access-token.html)
   * and ResourceServerType ("scopes in the access token in the format
   * `$resource-server-identifier/$scope`"): `token_use` is `access`, `client_id` is the app
   * client; a client-credentials token has `sub` = `client_id` and no `username`; there is no
   * `aud`: the resource server identifier prefixes each scope.
   */
  cognito: {
    clientIdClaims: claims('client_id'),
    clientIdSuffix: undefined,
    scopeClaims: claims('scope'),
    audienceRule: 'scope-prefix',
    sameClientClaims: claims('sub'),
    accessTokenClaims: { token_use: 'access' },
    issuedToClient: (claims) => claims['username'] === undefined,
  },
};
