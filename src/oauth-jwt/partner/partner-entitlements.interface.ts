/**
 * What a partner object your resolver returns may carry for the module to enforce on every
 * request, live (within `clientCache.ttlSeconds`, or at once after `PartnerCache.evict`).
 */
export interface PartnerEntitlements {
  /**
   * The scopes the partner is granted now. A request's effective scopes are the token's scopes
   * that are also granted here, so a scope revoked after the token was issued stops working
   * before `exp`. Absent: the token's scopes as they are.
   */
  readonly grantedScopes?: readonly string[];
  /** `'suspended'` refuses every request of the partner: 403 `partner_suspended`. @default 'active' */
  readonly status?: 'active' | 'suspended';
}
