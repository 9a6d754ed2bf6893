/**
 * Summarise .cpuprofile files (from `node --cpu-prof`, one per thread, or from `--profile`):
 *   node --import tsx bench/profile-summary.ts [--top 25] FILE.cpuprofile...
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { summariseProfile, type CpuProfile } from './profile.js';
import { ms } from './report.js';

const { values, positionals } = parseArgs({ options: { top: { type: 'string', default: '25' } }, allowPositionals: true });
for (const file of positionals) {
  const s = summariseProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, file, Number(values.top));
  process.stdout.write(`${file}: ${ms(s.totalMs)} ms\n`);
  for (const l of s.top) process.stdout.write(`${ms(l.selfMs).padStart(9)} self ${ms(l.totalMs).padStart(9)} total  ${l.fn}\n`);
  process.stdout.write('\n');
}
