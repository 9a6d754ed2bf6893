/**
 * CPU profiles of single measurements (`--profile kwic.the,colloc.the`), taken in-process with the
 * inspector so they cover exactly the code being timed. Each profile is written as a .cpuprofile
 * (open it in Chrome DevTools or speedscope) and summarised as the functions with the most self
 * and inclusive time.
 */
import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileLine {
  fn: string;
  selfMs: number;
  totalMs: number;
}

export interface ProfileSummary {
  file: string;
  totalMs: number;
  top: ProfileLine[];
}

function post<T>(session: Session, method: string, params?: object): Promise<T> {
  return new Promise((resolve, reject) => session.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res as T))));
}

export async function profiled<T>(file: string, fn: () => T | Promise<T>, top = 15): Promise<{ result: T; summary: ProfileSummary }> {
  const session = new Session();
  session.connect();
  await post(session, 'Profiler.enable');
  await post(session, 'Profiler.setSamplingInterval', { interval: 200 });
  await post(session, 'Profiler.start');
  let result: T;
  let profile: CpuProfile;
  try {
    result = await fn();
  } finally {
    profile = (await post<{ profile: CpuProfile }>(session, 'Profiler.stop')).profile;
    session.disconnect();
  }
  writeFileSync(file, JSON.stringify(profile));
  return { result, summary: summariseProfile(profile, file, top) };
}

function label(f: CallFrame): string {
  const where = f.url ? `${f.url.replace(/^file:\/\/.*?\/(app|bench|node_modules)\//, '$1/')}:${f.lineNumber + 1}` : '';
  return `${f.functionName || '(anonymous)'}${where ? ` ${where}` : ''}`;
}

/** Self and inclusive milliseconds per function (by name and place), most self time first. */
export function summariseProfile(profile: CpuProfile, file: string, top = 15): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    const name = label(node.callFrame);
    self.set(name, (self.get(name) ?? 0) + us);
    // Inclusive: once per distinct function on the stack (recursion counted once).
    const onStack = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const n = byId.get(cur);
      if (n) onStack.add(label(n.callFrame));
    }
    for (const f of onStack) total.set(f, (total.get(f) ?? 0) + us);
  }
  const lines = [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([fn, us]) => ({ fn, selfMs: us / 1000, totalMs: (total.get(fn) ?? us) / 1000 }));
  return { file, totalMs: (profile.endTime - profile.startTime) / 1000, top: lines };
}
