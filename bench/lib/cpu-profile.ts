import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: {
    readonly functionName: string;
    readonly url: string;
    readonly lineNumber: number;
  };
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface SelfTime {
  /** A function as `name (file:line)`, or a group of code. */
  readonly name: string;
  /** Share of the sampled non-idle time spent in it (not in what it calls). */
  readonly selfPercent: number;
}

export interface CpuProfileSummary {
  readonly topFunctions: readonly SelfTime[];
  /** Self time by where the code lives: our module, each package, Node core, native. */
  readonly byOrigin: readonly SelfTime[];
  /** The functions of src/oauth-jwt, most self time first. */
  readonly ourFunctions: readonly SelfTime[];
}

const OUR_MODULE = '/src/oauth-jwt/';

/** Self time per function and per origin in a `.cpuprofile`, idle time left out. */
export function summarizeCpuProfile(file: string, repoRoot: string): CpuProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const functions = new Map<string, number>();
  const origins = new Map<string, number>();
  const ours = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, index) => {
    const node = byId.get(id);
    const delta = profile.timeDeltas[index] ?? 0;
    if (!node || node.callFrame.functionName === '(idle)') return;
    const { functionName, url, lineNumber } = node.callFrame;
    const path = url.startsWith('file://') ? relative(repoRoot, fileURLToPath(url)) : url;
    const shownPath = path.replace(/^bench\/dist\//, '');
    const name = `${functionName || '(anonymous)'} (${shownPath ? `${shownPath}:${lineNumber + 1}` : 'native'})`;
    add(functions, name, delta);
    add(origins, originOf(functionName, path), delta);
    if (path.includes(OUR_MODULE)) add(ours, name, delta);
    total += delta;
  });
  const top = (times: Map<string, number>, limit: number): SelfTime[] =>
    [...times.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([name, time]) => ({ name, selfPercent: (time / total) * 100 }));
  return {
    topFunctions: top(functions, 15),
    byOrigin: top(origins, 12),
    ourFunctions: top(ours, 10),
  };
}

function add(times: Map<string, number>, key: string, delta: number): void {
  times.set(key, (times.get(key) ?? 0) + delta);
}

function originOf(functionName: string, path: string): string {
  if (path === '')
    return functionName.startsWith('(') ? functionName : 'native code (I/O, crypto, …)';
  if (path.startsWith('node:')) return 'Node core (JS)';
  if (path.includes(OUR_MODULE)) return 'our module (src/oauth-jwt)';
  const modules = path.split('node_modules/');
  if (modules.length > 1) {
    const [first = '', second = ''] = (modules.at(-1) ?? '').split('/');
    return first.startsWith('@') ? `${first}/${second}` : first;
  }
  return path.startsWith('bench/') ? 'bench app' : path;
}
