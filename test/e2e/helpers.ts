import { expect, type Locator, type Page } from '@playwright/test';

export interface GridRow {
  index: number;
  doc: string;
  left: string;
  node: string;
  right: string;
}

export function appUrl(): string {
  const url = process.env.LOUPE_URL;
  if (!url) throw new Error('LOUPE_URL is not set: run through playwright.config.ts (global-setup starts the host).');
  return url;
}

/** Calls the web host's API directly (as the page's bridge does), with the per-run token from the URL. */
export async function hostApi(
  method: string,
  req: unknown,
): Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string; position?: number } }> {
  const url = new URL(appUrl());
  const token = new URLSearchParams(url.hash.slice(1)).get('token') ?? '';
  const res = await fetch(`${url.origin}/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-loupe-token': token },
    body: JSON.stringify(req),
  });
  return (await res.json()) as { ok: boolean };
}

/**
 * Opens the app and waits for it to say it is ready (corpus open, nothing in flight). The host is
 * shared by every spec and a project brings back the view it was left in, so each page starts on
 * an empty project of its own: what an earlier test left is not restored into this one.
 */
export async function openApp(page: Page): Promise<void> {
  // Fails harmlessly when no corpus is open yet: then there is nothing to restore either.
  await hostApi('newProject', { name: 'e2e' });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(appUrl());
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'true', { timeout: 60_000 });
  expect(errors, 'no uncaught errors in the page').toEqual([]);
}

export const queryBox = (page: Page): Locator => page.getByRole('searchbox', { name: 'Query' });
export const grid = (page: Page): Locator => page.getByRole('grid', { name: 'Concordance' });
export const status = (page: Page): Locator =>
  page
    .getByRole('status')
    .filter({ hasText: /hits? in \d+ documents?|could not run|Searching/ })
    .first();

export async function search(page: Page, query: string): Promise<void> {
  await queryBox(page).fill(query);
  await queryBox(page).press('Enter');
}

/** Waits until the concordance shows the lines of this query and sort, and the app is idle. */
export async function waitForLines(page: Page, query: string, sortKeys = ''): Promise<void> {
  await expect(grid(page)).toHaveAttribute('data-loaded-query', query);
  await expect(grid(page)).toHaveAttribute('data-loaded-sort', sortKeys);
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'true');
}

const flat = (s: string): string => s.replace(/\s+/g, ' ').trim();

/**
 * Scrolls the virtualised concordance from top to bottom and returns every line it showed, by
 * row index. Only rows near the viewport exist in the DOM, so this is how a reader reaches them.
 */
export async function collectRows(page: Page): Promise<GridRow[]> {
  const body = grid(page).getByRole('rowgroup').nth(1);
  const rows = new Map<number, GridRow>();
  await body.evaluate((el) => (el.scrollTop = 0));
  for (let guard = 0; guard < 10_000; guard++) {
    // Every row that should be visible at this scroll position is in the DOM and loaded.
    await page.waitForFunction(
      (el) => {
        const rowH = parseFloat(getComputedStyle(el.parentElement!).getPropertyValue('--row-h')) || 30;
        const total = Number(el.parentElement!.getAttribute('aria-rowcount')) - 1;
        const last = Math.min(total - 1, Math.floor((el.scrollTop + el.clientHeight - 1) / rowH));
        const first = Math.floor(el.scrollTop / rowH);
        for (const i of [first, last]) {
          if (i < 0) continue;
          const row = el.querySelector(`[role=row][aria-rowindex="${i + 2}"]`);
          if (!row || row.querySelector('.loading')) return false;
        }
        return true;
      },
      await body.elementHandle(),
    );
    const batch = await body.getByRole('row').evaluateAll((els) =>
      els.map((e) => {
        // Cells by their column, not their place: columns come and go (categories, citations).
        const cell = (c: string) => e.querySelector(`[role=gridcell].${c}`);
        return {
          index: Number(e.getAttribute('aria-rowindex')) - 2,
          doc: cell('c-doc')?.getAttribute('title') ?? '',
          left: cell('c-left')?.textContent ?? '',
          node: cell('c-node')?.textContent ?? '',
          right: cell('c-right')?.textContent ?? '',
        };
      }),
    );
    for (const r of batch) rows.set(r.index, { ...r, left: flat(r.left), node: flat(r.node), right: flat(r.right) });
    const atEnd = await body.evaluate((el) => {
      if (el.scrollTop + el.clientHeight >= el.scrollHeight - 1) return true;
      el.scrollTop += Math.max(1, Math.floor(el.clientHeight * 0.8));
      return false;
    });
    if (atEnd) break;
  }
  return [...rows.values()].sort((a, b) => a.index - b.index);
}

/** The first counted token of a right context, folded as the engine folds words for sorting. */
export function firstWord(context: string): string {
  const m = /['’]?[\p{L}\p{N}]+/u.exec(context);
  return (m?.[0] ?? '').toLowerCase().replace(/’/g, "'");
}

/** RFC 4180 CSV (quotes, doubled quotes, separators and newlines inside quotes); TSV with sep '\t'. */
export function parseDelimited(text: string, sep: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === sep) {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

export { flat };
