/** The window of every quota here: limits are per minute. */
export const QUOTA_WINDOW_SECONDS = 60;
/** The name of the per-partner policy in `RateLimit-Policy` / `RateLimit` and in Redis keys. */
export const PARTNER_POLICY = 'partner';
/** The name of the per-IP policy on failed authentications. */
export const AUTH_FAILURE_POLICY = 'auth-failures';
/** The QuotaConfig the module was registered with. */
export const QUOTA_CONFIG = 'APP:QUOTA_CONFIG';
/** The reason code of every quota refusal, in the refusal log line. */
export const RATE_LIMITED = 'rate_limited';
