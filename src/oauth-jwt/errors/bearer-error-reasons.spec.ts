import { BEARER_ERROR_REASONS, type BearerErrorReasonSpec } from './bearer-error-reasons';

const SPECS = Object.entries(BEARER_ERROR_REASONS) as [string, BearerErrorReasonSpec][];

describe('BEARER_ERROR_REASONS', () => {
  it.each(SPECS)(
    '%s has a description that is printable ASCII without quotes or backslashes',
    (_reason, spec) => {
      expect(spec.description).toMatch(/^[\x20\x21\x23-\x5B\x5D-\x7E]+$/);
    },
  );

  it.each(SPECS)('%s uses a snake_case reason code', (reason) => {
    expect(reason).toMatch(/^[a-z]+(?:_[a-z]+)*$/);
  });

  it('maps each RFC 6750 error code to its status (400, 401, 403) and no code to 401/403/503', () => {
    for (const [, spec] of SPECS) {
      if (spec.error === 'invalid_request') expect(spec.status).toBe(400);
      if (spec.error === 'invalid_token') expect(spec.status).toBe(401);
      if (spec.error === 'insufficient_scope') expect(spec.status).toBe(403);
      if (spec.error === undefined) expect([401, 403, 503]).toContain(spec.status);
    }
  });

  it('gives every reason a distinct description', () => {
    const descriptions = SPECS.map(([, spec]) => spec.description);
    expect(new Set(descriptions).size).toBe(descriptions.length);
  });
});
