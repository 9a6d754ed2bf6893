/** The human-readable tables of a bench result, with the speed targets (targets.ts) and pass/fail marks. */
import type { BenchResult } from './result.js';
import type { TargetCheck } from './targets.js';

/** Long error messages would stretch the table: keep their start. */
const short = (s: string, max = 90) => (s.length > max ? `${s.slice(0, max - 3)}...` : s);
const int = (n: number) => Math.round(n).toLocaleString('en');
export function ms(n: number): string {
  if (!Number.isFinite(n)) return '-';
  return n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : int(n);
}
function bytes(n: number): string {
  if (typeof n !== 'number' || !Number.isFinite(n)) return '-';
  if (n >= 2 ** 30) return `${(n / 2 ** 30).toFixed(2)} GiB`;
  if (n >= 2 ** 20) return `${(n / 2 ** 20).toFixed(1)} MiB`;
  return `${int(n)} B`;
}
function pad(rows: string[][]): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
function mark(t: TargetCheck | undefined): string {
  if (!t) return '';
  if (t.pass) return 'PASS';
  // NaN (JSON null) when the figure could not be measured, e.g. no saved index to open.
  return typeof t.factor === 'number' && Number.isFinite(t.factor)
    ? `FAIL x${t.factor.toFixed(t.factor < 10 ? 2 : 0)}`
    : 'FAIL (not measured)';
}
function limitText(t: TargetCheck | undefined): string {
  if (!t) return '-';
  return `${t.op} ${t.unit === 'tokens/s' ? int(t.limit) : t.limit} ${t.unit}`;
}

export function formatReport(r: BenchResult): string {
  const byId = new Map(r.targets.map((t) => [t.id, t]));
  const c = r.corpus;
  const out: string[] = [];
  out.push(
    `Loupe bench: ${int(c.tokens)} tokens (${int(c.counted)} counted, ${int(c.types)} types) in ${int(c.documents)} files, ` +
      `${bytes(c.bytes)} of text; Brown x${c.copies}`,
  );
  out.push(
    `Machine: ${r.machine.cpus} x ${r.machine.cpuModel}, ${bytes(r.machine.memoryBytes)} RAM, Node ${r.machine.node} (${r.machine.platform}), ` +
      `heap limit ${bytes(r.machine.heapLimitBytes)}`,
  );
  out.push('');
  const ix = r.indexing;
  const rows: string[][] = [['what', 'figure', 'target', '']];
  rows.push(['reading files', `${ms(ix.readMs)} ms`, '', '']);
  rows.push([
    `tokenising (wink-nlp, lemma + POS; ${ix.threads} thread${ix.threads > 1 ? 's' : ''})`,
    `${int(ix.tokensPerSecond.tokenising)} tokens/s (${ms(ix.tokeniseMs)} ms)`,
    '',
    '',
  ]);
  rows.push(['  per CPU-second (all threads)', `${int(ix.tokensPerCpuSecond.tokenising)} tokens/CPU-s`, '', '']);
  rows.push(['indexing (merge + postings)', `${int(ix.tokensPerSecond.indexing)} tokens/s (${ms(ix.mergeMs + ix.postingsMs)} ms)`, '', '']);
  const tIx = byId.get('indexing');
  rows.push([
    'total, raw text to searchable',
    `${int(ix.tokensPerSecond.total)} tokens/s (${ms(ix.totalMs)} ms)`,
    limitText(tIx),
    mark(tIx),
  ]);
  rows.push(['  total per CPU-second', `${int(ix.tokensPerCpuSecond.total)} tokens/CPU-s`, '', '']);
  rows.push(['saving the index', `${ms(ix.saveMs)} ms`, '', '']);
  if (ix.segments) rows.push([`merging ${ix.segments} segments and opening the index`, `${ms(ix.mergeSegmentsMs ?? NaN)} ms`, '', '']);
  const tBuild = byId.get('buildMemory');
  if (r.memory.buildPeakRssBytes !== undefined)
    rows.push(['peak RSS while indexing', bytes(r.memory.buildPeakRssBytes), limitText(tBuild), mark(tBuild)]);
  rows.push(['peak RSS (build + queries)', bytes(r.memory.peakRssBytes), '', '']);
  rows.push([
    'resident after build + queries (same process)',
    `${r.memory.bytesPerToken.toFixed(1)} B/token (${bytes(r.memory.residentDeltaBytes)})`,
    '',
    '',
  ]);
  const tDisk = byId.get('disk');
  rows.push([
    'index on disk',
    r.disk.saved ? `${r.disk.bytesPerToken.toFixed(1)} B/token (${bytes(r.disk.indexBytes)})` : short(`not saved: ${r.disk.error ?? '?'}`),
    limitText(tDisk),
    mark(tDisk),
  ]);
  const co = r.coldOpen;
  const tCold = byId.get('coldOpen');
  if (co.ok) {
    rows.push([
      'cold open: open + first KWIC page',
      `${ms(co.openAndQueryMs)} ms (open ${ms(co.openMs)}, query ${ms(co.firstQueryMs)})`,
      limitText(tCold),
      mark(tCold),
    ]);
    const tSpawn = byId.get('spawn');
    rows.push([
      '  with module loading / spawn to answer',
      `${ms(co.processStartToAnswerMs)} ms / ${ms(co.spawnToAnswerMs)} ms`,
      limitText(tSpawn),
      mark(tSpawn),
    ]);
    rows.push(['  resident after the first answer', `${co.bytesPerToken.toFixed(1)} B/token (${bytes(co.residentDeltaBytes)})`, '', '']);
    const tMem = byId.get('memory');
    rows.push([
      '  resident after every query (memory while querying)',
      `${co.bytesPerTokenAfterQueries.toFixed(1)} B/token (${bytes(co.residentDeltaAfterQueriesBytes)}; queries ${ms(co.queriesMs)} ms)`,
      limitText(tMem),
      mark(tMem),
    ]);
  } else {
    rows.push(['cold open', short(`failed: ${co.error}`), limitText(tCold), mark(tCold)]);
  }
  out.push(pad(rows));
  out.push('');
  const qrows: string[][] = [['query', 'hits', 'first ms', 'median ms', 'p95 ms', 'cpu median', 'target', '']];
  for (const [id, m] of Object.entries(r.queries)) {
    const t = byId.get(id);
    let target = t ? `${t.op} ${t.limit} ${t.unit}` : '-';
    if (id === 'sort.the.R1' && t) target = `${ms(t.value)} ms/M hits ${t.op} ${t.limit}`;
    qrows.push([`${m.label}`, int(m.hits), ms(m.firstMs), ms(m.medianMs), ms(m.p95Ms), ms(m.cpu.medianMs), target, mark(t)]);
  }
  out.push(pad(qrows));
  if (r.cold.length) {
    out.push('');
    const crows: string[][] = [
      ['first query of its kind (fresh process)', 'hits', 'cold ms', 'repeat ms', 'spawn to answer ms', 'target', ''],
    ];
    for (const c of r.cold) {
      const t = byId.get(c.id);
      crows.push([
        `${c.label}: ${c.query}`,
        int(c.hits),
        ms(c.firstMs),
        ms(c.repeatMs),
        ms(c.spawnToAnswerMs),
        t ? `${t.op} ${t.limit} ${t.unit}` : '-',
        mark(t),
      ]);
    }
    out.push(pad(crows));
    const dropped = r.cold.every((c) => c.pageCacheDropped);
    out.push(
      `(medians of ${r.cold[0]!.runs} fresh processes each; ${dropped ? 'the page cache emptied before each' : 'the page cache could not be emptied here, so the index may be read from memory'}; ` +
        `cold: the engine's time to the first page, every hit counted; repeat: the same query again in that process)`,
    );
  }
  out.push(
    `(${r.params.runs} runs each; median and p95 over the runs after the first, which pays for lazy structures; ` +
      `cpu median: the same runs in this process's CPU time, which other processes do not stretch)`,
  );
  const failed = r.targets.filter((t) => !t.pass);
  out.push('');
  out.push(
    failed.length
      ? `${failed.length} of ${r.targets.length} targets missed: ${failed.map((t) => t.id).join(', ')}`
      : `All ${r.targets.length} targets met.`,
  );
  for (const e of r.errors) out.push(`error: ${e}`);
  for (const [id, p] of Object.entries(r.profiles)) {
    out.push('');
    out.push(`profile ${id} (${ms(p.totalMs)} ms) -> ${p.file}`);
    out.push(pad([['function', 'self ms', 'total ms'], ...p.top.map((l) => [l.fn, ms(l.selfMs), ms(l.totalMs)])]));
  }
  return out.join('\n');
}
