import type { AppReady, AppRpc, AppSpec } from '../apps/app-spec';
import { Child } from './child';
import type { JwksServer } from './jwks-server';
import { APP_SCRIPT } from './paths';
import type { ProcessStats } from './process-stats';
import type { AppDef } from './scenarios';

/** The core every server runs on; the load generator gets the other. */
export const SERVER_CORE = 0;

/** What every app is configured with (the local issuer's). */
export interface IssuerSettings {
  readonly issuer: string;
  readonly audience: string;
  readonly scope: string;
}

/** An app child that listens on 127.0.0.1. */
export interface AppProcess {
  readonly def: AppDef;
  readonly origin: string;
  readonly jwksName: string;
  /** With `gc`, after a full garbage collection. */
  stats(gc?: boolean): Promise<ProcessStats>;
  /** Starts V8's CPU profiler in the app. */
  profileStart(): Promise<null>;
  /** Stops it and writes the `.cpuprofile` to `path`. */
  profileStop(path: string): Promise<null>;
  stop(): Promise<void>;
}

/**
 * Starts `def` in its own process, pinned to the server core, with its own JWKS path
 * (`jwksName`, default the app id) so the JWKS server counts its fetches apart.
 */
export async function startApp(
  def: AppDef,
  issuer: IssuerSettings,
  jwks: JwksServer,
  options: { jwksName?: string } = {},
): Promise<AppProcess> {
  const jwksName = options.jwksName ?? def.id;
  const spec: AppSpec = {
    kind: def.kind,
    adapter: def.adapter,
    issuer: issuer.issuer,
    audience: issuer.audience,
    scope: issuer.scope,
    jwksUri: jwks.uriFor(jwksName),
    tokenCache: def.tokenCache,
  };
  const { child, info } = await Child.start<AppRpc>({
    name: jwksName,
    script: APP_SCRIPT,
    args: [JSON.stringify(spec)],
    core: SERVER_CORE,
    // Only so the bench can ask for a full GC before reading retained memory; no other effect.
    execArgv: ['--expose-gc'],
  });
  const port = (info as Partial<AppReady> | null)?.port;
  if (typeof port !== 'number') {
    await child.stop();
    throw new Error(`${jwksName} did not report its port`);
  }
  return {
    def,
    origin: `http://127.0.0.1:${port}`,
    jwksName,
    stats: (gc = false) => child.call('stats', { gc }),
    profileStart: () => child.call('profileStart', null),
    profileStop: (path) => child.call('profileStop', path),
    stop: () => child.stop(),
  };
}
