/**
 * Geometry of the trends line chart: a per-million axis with round ticks, buckets as equal bands
 * along x, bucket labels thinned so they never overlap, and the legend laid out in rows. Plain
 * numbers in the SVG's own units, so the picture exports as drawn (lines, rects and text only: what
 * plot-export paints onto a PNG).
 */

export const CHART_W = 760;
export const MARGIN = { left: 64, right: 18, bottom: 58 } as const;
export const LEGEND_ROW = 20;
const CHAR_W = 6.6; // average width of a 11-12px sans glyph, in SVG units
const LABEL_MAX_CHARS = 18;

/** Round tick values 0..top covering `max` (1, 2 or 5 times a power of ten apart), about `count` of them. */
export function niceTicks(max: number, count = 5): number[] {
  if (!(max > 0) || !Number.isFinite(max)) return [0, 1];
  const raw = max / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const top = Math.ceil(max / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let i = 0; i * step <= top + step / 1e6; i++) ticks.push(Number((i * step).toPrecision(12)));
  return ticks;
}

export function tickLabel(v: number): string {
  if (v >= 10_000) return `${Math.round(v / 1000)}k`;
  return v >= 100 || Number.isInteger(v) ? String(Math.round(v)) : String(Number(v.toPrecision(3)));
}

export const clip = (s: string, n = LABEL_MAX_CHARS): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** Every k-th bucket gets a label, k chosen so that the longest shown label fits in k bands. */
export function labelEvery(labels: readonly string[], band: number): number {
  const longest = Math.min(LABEL_MAX_CHARS, Math.max(1, ...labels.map((l) => l.length)));
  return Math.max(1, Math.ceil((longest * CHAR_W + 10) / band));
}

export interface LegendItem {
  text: string;
  x: number;
  y: number;
}

/** Legend entries left to right, wrapping into rows of the chart's width. */
export function legendLayout(terms: readonly string[], width = CHART_W - MARGIN.left - MARGIN.right): LegendItem[] {
  const out: LegendItem[] = [];
  let x = 0;
  let row = 0;
  for (const term of terms) {
    const text = clip(term, 40);
    const w = 14 + 6 + text.length * CHAR_W + 18;
    if (x > 0 && x + w > width) {
      x = 0;
      row++;
    }
    out.push({ text, x: MARGIN.left + x, y: 20 + row * LEGEND_ROW });
    x += w;
  }
  return out;
}
