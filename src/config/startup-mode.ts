import { AppConfigError } from './app-config';

/** `configured`: the authorization server(s) named by OAUTH_ISSUER or OAUTH_ISSUERS. `demo`: the embedded one. */
export type StartupMode = 'configured' | 'demo';

/**
 * Decides how the sample starts. OAUTH_ISSUER set: configured (loadAppConfig then checks the rest).
 * Unset: the demo, which configures everything itself; so any other OAUTH_* variable or
 * PARTNERS_FILE is refused rather than silently ignored (a mistyped OAUTH_ISSUER would otherwise
 * start an API trusting the demo's issuer). Empty values count as unset.
 */
export function startupMode(env: NodeJS.ProcessEnv): StartupMode {
  if (isSet(env['OAUTH_ISSUER']) || isSet(env['OAUTH_ISSUERS'])) return 'configured';
  const configuring = Object.keys(env)
    .filter((name) => (name.startsWith('OAUTH_') || name === 'PARTNERS_FILE') && isSet(env[name]))
    .sort();
  if (configuring.length > 0) {
    const [first] = configuring;
    const named =
      configuring.length === 1
        ? `${String(first)} is`
        : `${configuring.slice(0, -1).join(', ')} and ${String(configuring.at(-1))} are`;
    throw new AppConfigError(
      'OAUTH_ISSUER',
      `is not set, but ${named}: set OAUTH_ISSUER to use your authorization server, ` +
        'or unset them all to run the demo (embedded authorization server)',
    );
  }
  return 'demo';
}

function isSet(value: string | undefined): boolean {
  return value !== undefined && value.trim() !== '';
}
