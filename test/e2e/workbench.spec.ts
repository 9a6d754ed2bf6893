/**
 * The reader's workbench, as a reader uses it on the bundled chapter: code lines in categories and
 * find them again after a reload; filter by a context word from the filter's own box; thin to a
 * sample and see "n of N"; open the text beside the lines and step through the hits; see what a
 * sort reads; get a close query for one with no hits.
 */
import { expect, test, type Page } from '@playwright/test';
import { grid, hostApi, openApp, queryBox, search, waitForLines } from './helpers';

// Each test starts on a project of its own: a project restores the view it was left in.

const status = (page: Page) => page.getByTestId('status');
const row = (page: Page, i: number) => grid(page).locator(`[data-row="${i}"]`);

async function freshProject(page: Page, name: string): Promise<void> {
  const made = await hostApi('newProject', { name: `${name} ${Date.now()}` });
  expect(made.ok, JSON.stringify(made)).toBe(true);
  await openApp(page);
}

test('code five lines in two categories, reload, and find them again', async ({ page }) => {
  await freshProject(page, 'Coding');
  await search(page, 'bureaucracy');
  await waitForLines(page, 'bureaucracy');
  await expect(status(page)).toHaveText('36 hits in 1 document');

  for (const name of ['ruling class', 'apparatus']) {
    await page.getByRole('textbox', { name: 'New category' }).fill(name);
    await page.getByRole('textbox', { name: 'New category' }).press('Enter');
    await expect(page.getByRole('button', { name: `${name}: 0 coded` })).toBeVisible();
  }

  // Three lines by selecting them and clicking the category; two by moving to them and pressing 2.
  for (const i of [0, 4, 9]) await row(page, i).locator('input[type=checkbox]').check();
  await page.getByRole('button', { name: /^ruling class: \d+ coded$/ }).click();
  await expect(page.getByTestId('coded-counts')).toContainText('ruling class: 3');
  for (const i of [0, 4, 9]) await row(page, i).locator('input[type=checkbox]').uncheck();
  await row(page, 14).click({ modifiers: ['Control'] });
  await row(page, 14).click({ modifiers: ['Control'] }); // toggled off again: the focus stays on it
  await row(page, 14).press('2');
  await row(page, 20).click({ modifiers: ['Control'] });
  await row(page, 20).press('2');
  await expect(page.getByTestId('coded-counts')).toContainText('apparatus: 2');

  // A note on one line.
  await row(page, 20).locator('input[type=checkbox]').uncheck();
  await row(page, 4).click({ modifiers: ['Control'] });
  await row(page, 4).press('n');
  await page.getByRole('textbox', { name: /Note on/ }).fill('the bureaucracy as a ruling class');
  await page.getByRole('button', { name: 'Save note' }).click();
  await expect(row(page, 4).getByTestId('line-codes')).toContainText('note: the bureaucracy as a ruling class');

  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'true', { timeout: 60_000 });
  await search(page, 'bureaucracy');
  await waitForLines(page, 'bureaucracy');
  await expect(page.getByTestId('coded-counts')).toContainText('ruling class: 3');
  await expect(page.getByTestId('coded-counts')).toContainText('apparatus: 2');
  for (const i of [0, 4, 9]) await expect(row(page, i).getByTestId('line-codes')).toContainText('ruling class');
  for (const i of [14, 20]) await expect(row(page, i).getByTestId('line-codes')).toContainText('apparatus');
  await expect(row(page, 4).getByTestId('line-codes')).toContainText('note: the bureaucracy as a ruling class');

  // Only the lines of one category, then sorted by category.
  await page.getByRole('combobox', { name: 'Show lines by category' }).selectOption({ label: 'coded apparatus' });
  await expect(status(page)).toHaveText('2 of 36 hits in 1 document');
  await page.getByRole('combobox', { name: 'Show lines by category' }).selectOption({ label: 'all lines' });
  await expect(status(page)).toHaveText('36 hits in 1 document');
  await page.getByRole('button', { name: 'Sort by category' }).click();
  await waitForLines(page, 'bureaucracy', 'code');
  for (const i of [0, 1, 2]) await expect(row(page, i).getByTestId('line-codes')).toContainText('ruling class');
  for (const i of [3, 4]) await expect(row(page, i).getByTestId('line-codes')).toContainText('apparatus');
  await expect(row(page, 5).getByTestId('line-codes')).toHaveText('');
});

test('filter by a context word from its own box; the filter in force is shown apart', async ({ page }) => {
  await freshProject(page, 'Workbench');
  await search(page, 'bureaucracy');
  await waitForLines(page, 'bureaucracy');
  const box = page.getByRole('searchbox', { name: 'Filter by context word' });
  await box.fill('Stalinist');
  await box.press('Enter');
  await expect(status(page)).toHaveText(/^\d+ of 36 hits in 1 document$/);
  const inForce = page.getByTestId('in-force');
  await expect(inForce).toContainText('with “Stalinist” within 5 words');
  const shown = Number((await status(page).textContent())!.split(' ')[0]);
  expect(shown).toBeGreaterThan(0);
  expect(shown).toBeLessThan(36);
  // Every line shown has the word within five words.
  for (let i = 0; i < shown; i++) await expect(row(page, i)).toContainText(/Stalinist/i);

  // Typing without applying does not pretend to filter; Tab applies.
  await box.fill('masses');
  await expect(inForce).toContainText('Stalinist');
  await box.press('Tab');
  await expect(inForce).toContainText('with “masses” within 5 words');
  await page.getByRole('button', { name: 'Remove the filter masses' }).click();
  await expect(status(page)).toHaveText('36 hits in 1 document');
  await expect(box).toHaveValue('');
});

test('a sample says how many of how many', async ({ page }) => {
  await freshProject(page, 'Workbench');
  await search(page, 'bureaucracy');
  await waitForLines(page, 'bureaucracy');
  await page.getByRole('spinbutton', { name: 'Sample size' }).fill('10');
  await page.getByRole('button', { name: 'Thin' }).click();
  await expect(status(page)).toHaveText('10 of 36 hits in 1 document');
  await page.getByRole('button', { name: 'Show all lines, not a sample' }).click();
  await expect(status(page)).toHaveText('36 hits in 1 document');
});

test('sorting by R1 marks the word it reads, with a legend', async ({ page }) => {
  await freshProject(page, 'Workbench');
  await search(page, 'bureaucracy');
  await waitForLines(page, 'bureaucracy');
  await page.getByRole('button', { name: 'Sort by R1' }).click();
  await waitForLines(page, 'bureaucracy', 'R1');
  await expect(page.getByTestId('sort-legend')).toContainText('R1 (first word right of the node)');
  await expect(page.getByTestId('sort-legend')).toContainText('punctuation is skipped');
  // Each line's marked word is the first word of its right context: only punctuation comes before it.
  for (let i = 0; i < 8; i++) {
    const right = (await row(page, i).locator('.c-right').textContent())!;
    const marked = (await row(page, i).locator('.c-right [data-key=R1]').textContent())!;
    expect(marked.trim().length).toBeGreaterThan(0);
    expect(right.slice(0, right.indexOf(marked)), `line ${i + 1}: ${right}`).toMatch(/^[\s\p{P}]*$/u);
  }
});

test('the text opens beside the lines, follows Previous/Next hit, and Esc closes it', async ({ page }) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await freshProject(page, 'Reading');
  await search(page, 'bureaucracy');
  await waitForLines(page, 'bureaucracy');
  await row(page, 2).click();
  const text = page.getByRole('region', { name: 'Text view' });
  await expect(text).toContainText('Hit 3 of 36');
  const lines = await grid(page).boundingBox();
  const beside = await text.boundingBox();
  expect(beside!.x).toBeGreaterThan(lines!.x + lines!.width - 1);
  expect(beside!.y).toBeLessThan(lines!.y + 50);
  await expect(row(page, 2)).toHaveClass(/open/);
  await expect(row(page, 2)).toBeInViewport();

  await text.getByRole('button', { name: 'Next hit' }).click();
  await expect(text).toContainText('Hit 4 of 36');
  await expect(row(page, 3)).toHaveClass(/open/);
  await text.getByRole('button', { name: 'Previous hit' }).click();
  await text.getByRole('button', { name: 'Previous hit' }).click();
  await expect(row(page, 1)).toHaveClass(/open/);

  await page.keyboard.press('Escape');
  await expect(text).toHaveCount(0);
});

test('on a narrow window the text opens below and the clicked line stays in view', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  await freshProject(page, 'Narrow');
  await search(page, 'bureaucracy');
  await waitForLines(page, 'bureaucracy');
  const body = grid(page).getByRole('rowgroup').nth(1);
  await body.evaluate((el) => (el.scrollTop = 30 * 12));
  await row(page, 15).click();
  const text = page.getByRole('region', { name: 'Text view' });
  await expect(text).toContainText('Hit 16 of 36');
  expect((await text.boundingBox())!.y).toBeGreaterThan((await grid(page).boundingBox())!.y + 40);
  await expect(row(page, 15)).toBeInViewport();
});

test('a query with no hits suggests a close one that has some', async ({ page }) => {
  await freshProject(page, 'Workbench');
  await search(page, 'workers councils');
  await waitForLines(page, 'workers councils');
  const none = page.getByTestId('no-lines');
  await expect(none).toContainText('Did you mean');
  await none.getByRole('button', { name: "workers' councils" }).click();
  await waitForLines(page, "workers' councils");
  await expect(queryBox(page)).toHaveValue("workers' councils");
  await expect(status(page)).toHaveText(/^\d+ hits? in 1 document$/);
});

test('a misspelt subcorpus field is named, with the field meant', async ({ page }) => {
  await freshProject(page, 'Fields');
  const where = page.getByRole('textbox', { name: 'Subcorpus', exact: true });
  await where.fill('yeer < 1950');
  await search(page, 'bureaucracy');
  const alert = page.locator('#where-error');
  await expect(alert).toContainText('unknown field "yeer"');
  await expect(alert).toContainText('did you mean "year"?');
  await expect(alert).not.toContainText('No document matches');
  await where.fill('');
  await search(page, 'bureaucracy');
  await expect(alert).toHaveCount(0);
});

test('save a query with its sort, run another, and bring the saved one back', async ({ page }) => {
  await freshProject(page, 'Saved');
  await search(page, 'bureaucracy');
  await waitForLines(page, 'bureaucracy');
  await page.getByRole('button', { name: 'Sort by R1' }).click();
  await waitForLines(page, 'bureaucracy', 'R1');
  await page.getByTestId('project-button').click();
  const panel = page.getByRole('dialog', { name: 'Projects' });
  await panel.getByRole('textbox', { name: 'Name for the query on screen' }).fill('bureaucracy by R1');
  await panel.getByRole('button', { name: 'Save the query on screen' }).click();
  await expect(panel.getByRole('button', { name: 'bureaucracy by R1', exact: true })).toBeVisible();
  await page.keyboard.press('Escape');

  await search(page, 'workers');
  await waitForLines(page, 'workers', 'R1');
  await page.getByRole('combobox', { name: 'Sort level 1' }).selectOption('');
  await waitForLines(page, 'workers', '');

  await page.getByTestId('project-button').click();
  await panel.getByRole('button', { name: 'bureaucracy by R1', exact: true }).click();
  await waitForLines(page, 'bureaucracy', 'R1');
  await expect(queryBox(page)).toHaveValue('bureaucracy');

  // The project file keeps it as an API request too, so `loupe project run` can run it.
  const state = (await hostApi('projectState', {})).value as {
    file: string;
    queries: Array<{ name: string; view: string; settings?: { sort?: string[] } }>;
  };
  expect(state.queries).toHaveLength(1);
  expect(state.queries[0]).toMatchObject({ name: 'bureaucracy by R1', view: 'concordance', settings: { sort: ['R1'] } });
});

test("Compare's terms and Trends' grouping come back after a reload, as the reader left them", async ({ page }) => {
  await freshProject(page, 'Views');
  await search(page, 'bureaucracy');
  await waitForLines(page, 'bureaucracy');
  await page.getByRole('tab', { name: 'Compare' }).click();
  await page.getByRole('searchbox', { name: 'Compare term 2' }).fill("workers' councils");
  await page.getByRole('button', { name: 'Compare', exact: true }).click();
  await page.getByRole('combobox', { name: /Measure/ }).selectOption('mi');
  await expect(page.getByRole('heading', { name: /^Collocates by/ })).toHaveText(/by MI/);

  await page.getByRole('tab', { name: 'Trends' }).click();
  await page.getByRole('searchbox', { name: 'More terms' }).fill('workers');
  await page.getByRole('searchbox', { name: 'More terms' }).press('Enter');
  await page.getByRole('spinbutton', { name: 'Segments' }).fill('5');
  await expect(page.getByRole('table').filter({ hasText: '5/5' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'true');
  // The project has the view as it is on screen before the page goes.
  await expect
    .poll(async () => {
      const s = (await hostApi('projectState', {})).value as {
        view?: { entry?: { view: string; settings?: { views?: { trends?: { segments?: number } } } } };
      };
      return [s.view?.entry?.view, s.view?.entry?.settings?.views?.trends?.segments];
    })
    .toEqual(['trends', 5]);

  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'true', { timeout: 60_000 });
  await expect(page.getByRole('tab', { name: 'Trends' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('searchbox', { name: 'More terms' })).toHaveValue('workers');
  await expect(page.getByRole('spinbutton', { name: 'Segments' })).toHaveValue('5');
  await expect(page.getByRole('table').filter({ hasText: '5/5' })).toContainText('workers');

  await page.getByRole('tab', { name: 'Compare' }).click();
  await expect(page.getByRole('searchbox', { name: 'Compare term 2' })).toHaveValue("workers' councils");
  await expect(page.getByRole('heading', { name: /^Collocates by/ })).toHaveText(/by MI/);
});

test('each view marks its calls, so the host can drop one a newer call replaced', async ({ page }) => {
  await freshProject(page, 'Views');
  const views = new Map<string, Set<string>>();
  page.on('request', (r) => {
    const m = /\/api\/(\w+)$/.exec(r.url());
    const view = r.headers()['x-loupe-view'];
    if (m && view) (views.get(m[1]!) ?? views.set(m[1]!, new Set()).get(m[1]!)!).add(view);
  });
  await search(page, 'bureaucracy');
  await waitForLines(page, 'bureaucracy');
  await page.getByRole('tab', { name: 'Collocates' }).click();
  await expect(page.getByRole('table').first()).toBeVisible();
  expect([...(views.get('kwic') ?? [])]).toContain('concordance-page-0');
  expect(views.get('colloc')?.size).toBe(1);
});
