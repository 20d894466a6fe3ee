import { readFileSync } from 'node:fs';
import { cpus, availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';

/** What the report says about where it ran. */
export interface MachineInfo {
  readonly cpuModel: string;
  readonly cores: number;
  readonly node: string;
  readonly date: string;
  readonly packages: Readonly<Record<string, string>>;
}

const REPORTED_PACKAGES = [
  '@nestjs/core',
  '@nestjs/platform-express',
  '@nestjs/platform-fastify',
  '@nestjs/passport',
  'passport-jwt',
  'jwks-rsa',
  'jsonwebtoken',
  'express',
  'fastify',
  'express-oauth2-jwt-bearer',
  'autocannon',
];

export function machineInfo(repoRoot: string): MachineInfo {
  const packages: Record<string, string> = {};
  for (const name of REPORTED_PACKAGES) packages[name] = packageVersion(name, repoRoot);
  return {
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    cores: availableParallelism(),
    node: process.version,
    date: new Date().toISOString(),
    packages,
  };
}

/** The installed version, read from the package.json Node resolves for the repository. */
function packageVersion(name: string, repoRoot: string): string {
  try {
    let directory = dirname(require.resolve(name, { paths: [repoRoot] }));
    for (;;) {
      try {
        const manifest = JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')) as {
          name?: string;
          version?: string;
        };
        if (manifest.name === name && manifest.version) return manifest.version;
      } catch {
        // No package.json at this level: keep walking up.
      }
      const parent = dirname(directory);
      if (parent === directory) return 'unknown';
      directory = parent;
    }
  } catch {
    return 'not installed';
  }
}
