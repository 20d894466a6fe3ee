import { HttpException } from '@nestjs/common';
import { BEARER_ERROR_REASONS, type BearerErrorReason } from './bearer-error-reasons';
import { BearerTokenException, isBearerTokenException } from './bearer-token.exception';

const STATUS_TEXT = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  503: 'Service Unavailable',
} as const;

describe('BearerTokenException', () => {
  it.each(Object.keys(BEARER_ERROR_REASONS) as BearerErrorReason[])(
    'answers %s with its status and the body {statusCode, error, message}',
    (reason) => {
      const spec = BEARER_ERROR_REASONS[reason];
      const exception = new BearerTokenException(reason);
      expect(exception.getStatus()).toBe(spec.status);
      expect(exception.getResponse()).toStrictEqual({
        statusCode: spec.status,
        error: STATUS_TEXT[spec.status],
        message: spec.description,
      });
      expect(exception.reason).toBe(reason);
      expect(exception.error).toBe('error' in spec ? spec.error : undefined);
      expect(exception.description).toBe(spec.description);
    },
  );

  it('is an HttpException named BearerTokenException, so Nest answers right without the filter', () => {
    const exception = new BearerTokenException('expired');
    expect(exception).toBeInstanceOf(HttpException);
    expect(exception.name).toBe('BearerTokenException');
    expect(exception.message).toBe('The access token expired');
  });

  it('defaults to no required scopes, no Retry-After and no cause', () => {
    const exception = new BearerTokenException('missing_token');
    expect(exception.requiredScopes).toEqual([]);
    expect(exception.retryAfterSeconds).toBeUndefined();
    expect(exception.cause).toBeUndefined();
  });

  it('carries required scopes, Retry-After and the cause without putting them in the body', () => {
    const cause = new Error('jwt expired at 2023-11-14T22:13:20.000Z');
    const exception = new BearerTokenException('key_set_unavailable', {
      requiredScopes: ['read:users'],
      retryAfterSeconds: 7,
      cause,
    });
    expect(exception.requiredScopes).toEqual(['read:users']);
    expect(exception.retryAfterSeconds).toBe(7);
    expect(exception.cause).toBe(cause);
    expect(exception.getResponse()).toStrictEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'The signing keys are temporarily unavailable',
    });
  });
});

describe('isBearerTokenException', () => {
  it('recognises an instance', () => {
    expect(isBearerTokenException(new BearerTokenException('expired'))).toBe(true);
  });

  it('recognises a copy from another module instance by name and reason', () => {
    expect(isBearerTokenException({ name: 'BearerTokenException', reason: 'expired' })).toBe(true);
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a string', 'BearerTokenException'],
    ['another HttpException', new HttpException('x', 401)],
    ['an object without reason', { name: 'BearerTokenException' }],
    ['an object with another name', { name: 'Error', reason: 'expired' }],
  ])('rejects %s', (_label, value) => {
    expect(isBearerTokenException(value)).toBe(false);
  });
});
