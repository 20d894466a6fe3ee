/*
 * For the library's own specs only: it calls Jest's expect, so it is never built
 * (tsconfig.build.json excludes *.spec-helper.ts) and never shipped.
 */
import { BearerTokenException } from './bearer-token.exception';

/** The BearerTokenException `run` refuses with (it fails the test if `run` returns). */
export function refusalOf(run: () => unknown): BearerTokenException {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(BearerTokenException);
    return error as BearerTokenException;
  }
  throw new Error('expected a refusal, but it was accepted');
}
