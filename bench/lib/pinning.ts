import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

let tasksetWorks: boolean | undefined;
let wanted = true;

/** Turns pinning off (or back on) for the children started from now on. */
export function setPinning(enabled: boolean): void {
  wanted = enabled;
}

/** Whether children are being pinned. */
export function pinning(): boolean {
  return wanted && canPin();
}

/** Whether processes can be pinned to cores: `taskset` exists, works, and there are two cores. */
export function canPin(): boolean {
  if (tasksetWorks === undefined) {
    const probe = spawnSync('taskset', ['-c', '0', process.execPath, '-e', '0'], {
      stdio: 'ignore',
      timeout: 10_000,
    });
    tasksetWorks = probe.status === 0 && availableParallelism() >= 2;
  }
  return tasksetWorks;
}

/** The command and arguments that run Node with `nodeArgs`, on `core` when pinning is possible. */
export function nodeCommand(
  core: number | undefined,
  nodeArgs: readonly string[],
): { command: string; args: string[] } {
  if (core !== undefined && pinning()) {
    return { command: 'taskset', args: ['-c', String(core), process.execPath, ...nodeArgs] };
  }
  return { command: process.execPath, args: [...nodeArgs] };
}
