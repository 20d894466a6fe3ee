import { join } from 'node:path';
import type { TokenCacheOptions } from '../../src/oauth-jwt';
import type { TestIssuer } from '../../src/oauth-jwt/testing';
import type { AppRpc, AppSpec, AppStats } from '../apps/app-spec';
import type { AppDef } from './cases';
import { Child } from './child';

/** An app child listening on 127.0.0.1. */
export interface AppProcess {
  readonly def: AppDef;
  readonly origin: string;
  /** With `gc`, after a full garbage collection. */
  stats(gc?: boolean): Promise<AppStats>;
  stop(): Promise<void>;
}

/**
 * Starts `def` in its own process (bench/apps/serve) on `core`, trusting `issuer`: its JWKS unless
 * `jwksUri` is given; a cold app has its token cache off unless `tokenCache` is given.
 */
export async function startApp(
  def: AppDef,
  issuer: TestIssuer,
  core: number | undefined,
  options: { jwksUri?: string; tokenCache?: TokenCacheOptions } = {},
): Promise<AppProcess> {
  const tokenCache = options.tokenCache ?? (def.cold ? { enabled: false } : undefined);
  const spec: AppSpec = {
    kind: def.kind,
    adapter: def.adapter,
    issuer: issuer.issuer,
    audience: String(issuer.audience),
    jwksUri: options.jwksUri ?? issuer.jwksUri,
    ...(def.variant && { variant: def.variant }),
    ...(tokenCache && { tokenCache }),
  };
  const script = join(__dirname, '..', 'apps', 'serve.js');
  // --expose-gc only so the bench can collect before it reads retained memory.
  const nodeArgs = ['--expose-gc', script, JSON.stringify(spec)];
  const { child, ready } = await Child.start<AppRpc>(def.id, nodeArgs, core);
  const { port } = ready as { port: number };
  return {
    def,
    origin: `http://127.0.0.1:${port}`,
    stats: (gc = false) => child.call('stats', { gc }),
    stop: () => child.stop(),
  };
}
