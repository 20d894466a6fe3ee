/** Thrown at application start for invalid module options; the message names the option. */
export class OAuthJwtConfigurationError extends Error {
  constructor(
    readonly option: string,
    problem: string,
  ) {
    super(`OAuthJwtModule: invalid option "${option}": ${problem}`);
    this.name = 'OAuthJwtConfigurationError';
  }
}
