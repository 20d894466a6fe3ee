import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

let session: Session | undefined;

/**
 * Starts V8's sampling CPU profiler in this process (the profiler `node --cpu-prof` uses), so
 * the parent can profile a warmed-up app under load, without start-up in the picture.
 */
export async function startCpuProfile(): Promise<null> {
  if (session) throw new Error('already profiling');
  session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  return null;
}

/** Stops the profiler and writes the profile (a `.cpuprofile` file) to `path`. */
export async function stopCpuProfile(path: string): Promise<null> {
  if (!session) throw new Error('not profiling');
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  session = undefined;
  writeFileSync(path, JSON.stringify(profile));
  return null;
}
