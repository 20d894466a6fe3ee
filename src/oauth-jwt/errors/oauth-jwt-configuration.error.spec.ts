import { OAuthJwtConfigurationError } from './oauth-jwt-configuration.error';

describe('OAuthJwtConfigurationError', () => {
  it('names the option in its message and in `option`', () => {
    const error = new OAuthJwtConfigurationError('keySet.timeoutMs', 'must be a number');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('OAuthJwtConfigurationError');
    expect(error.option).toBe('keySet.timeoutMs');
    expect(error.message).toBe(
      'OAuthJwtModule: invalid option "keySet.timeoutMs": must be a number',
    );
  });
});
