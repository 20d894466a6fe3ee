/**
 * The fields of the IETF httpapi "RateLimit header fields for HTTP" draft (draft-ietf-httpapi-
 * ratelimit-headers-11): Structured Field lists whose items name a policy. `RateLimit-Policy`
 * states the quota `q` per window `w` (seconds); `RateLimit` the available quota `r` and the
 * effective window `t` (seconds). The policy names used here are fixed tokens, never client input.
 */
export function rateLimitPolicyField(policy: string, quota: number, windowSeconds: number): string {
  return `"${policy}";q=${nonNegative(quota)};w=${Math.max(1, nonNegative(windowSeconds))}`;
}

export function rateLimitField(policy: string, remaining: number, resetSeconds: number): string {
  return `"${policy}";r=${nonNegative(remaining)};t=${nonNegative(resetSeconds)}`;
}

function nonNegative(value: number): number {
  return Number.isFinite(value) ? Math.max(0, Math.ceil(value)) : 0;
}
