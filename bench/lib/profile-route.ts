import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startApp, type IssuerSettings } from './app-process';
import { summarizeCpuProfile, type CpuProfileSummary } from './cpu-profile';
import type { JwksServer } from './jwks-server';
import type { LoadGenerator } from './load-generator';
import { PROFILE_DIR, REPO_ROOT } from './paths';
import type { AppDef } from './scenarios';

export interface RouteProfile {
  readonly app: AppDef;
  readonly file: string;
  readonly seconds: number;
  readonly summary: CpuProfileSummary;
}

export interface ProfileSettings {
  readonly warmupSeconds: number;
  readonly seconds: number;
  readonly connections: number;
}

/**
 * Starts a fresh `def`, warms its guarded route up with the one token, then records a CPU
 * profile while autocannon loads it for `seconds`, and lists where the time went.
 */
export async function profileGuardedRoute(
  def: AppDef,
  settings: ProfileSettings,
  issuer: IssuerSettings,
  jwks: JwksServer,
  load: LoadGenerator,
): Promise<RouteProfile> {
  mkdirSync(PROFILE_DIR, { recursive: true });
  const file = join(PROFILE_DIR, `${def.id}-guarded.cpuprofile`);
  rmSync(file, { force: true });
  const app = await startApp(def, issuer, jwks, { jwksName: `${def.id}-profile` });
  const job = {
    url: `${app.origin}/guarded`,
    connections: settings.connections,
    auth: 'one' as const,
  };
  try {
    await load.run({ ...job, durationSeconds: settings.warmupSeconds });
    await app.profileStart();
    await load.run({ ...job, durationSeconds: settings.seconds });
    await app.profileStop(file);
  } finally {
    await app.stop();
  }
  return {
    app: def,
    file,
    seconds: settings.seconds,
    summary: summarizeCpuProfile(file, REPO_ROOT),
  };
}
