/**
 * A reader keeps their work in a project: starts one from the header, searches, goes back and
 * forward through what they did, reloads the page and finds the same screen. The host is shared
 * with other specs and keeps its open project, so each test makes its own, by a name no other run
 * uses.
 */
import { expect, test, type Page } from '@playwright/test';
import { grid, hostApi, openApp, queryBox, search, waitForLines } from './helpers';

interface Entry {
  view: string;
  query: string;
  settings?: { sort?: string[] };
}

const projectButton = (page: Page) => page.getByRole('banner').getByRole('button', { name: /^(Project:|No project)/ });
const panel = (page: Page) => page.getByRole('dialog', { name: 'Projects' });

/** Sorts the lines by R1 alone, or not at all (the sort a project restored may be either). */
async function sortByR1(page: Page, on: boolean): Promise<void> {
  const button = page.getByRole('button', { name: 'Sort by R1' });
  if ((await button.getAttribute('aria-pressed')) !== String(on)) await button.click();
  await expect(button).toHaveAttribute('aria-pressed', String(on));
}

/** Waits until the host has saved this view for the open project (it is saved once it settles). */
async function savedView(query: string, sort: string[]): Promise<void> {
  await expect
    .poll(async () => {
      const r = await hostApi('projectState', {});
      const entry = (r.value as { view?: { entry?: Entry } } | null)?.view?.entry;
      return entry ? { view: entry.view, query: entry.query, sort: entry.settings?.sort ?? [] } : null;
    })
    .toEqual({ view: 'concordance', query, sort });
}

test('a project keeps the history and the view across a reload', async ({ page }) => {
  await openApp(page);
  const name = `Cliff reading ${Date.now().toString(36)}`;

  // Start a project from the header's panel.
  await projectButton(page).click();
  await expect(panel(page)).toBeVisible();
  await panel(page).getByLabel('New project').fill(name);
  await panel(page).getByRole('button', { name: 'Create' }).click();
  await expect(panel(page)).toBeHidden();
  await expect(projectButton(page)).toHaveText(`Project: ${name}`);
  // Focus came back to the button that opened the panel.
  await expect(projectButton(page)).toBeFocused();
  await expect(page.getByRole('button', { name: 'Back' })).toBeDisabled();

  // bureaucracy sorted by R1, then workers.
  await search(page, 'bureaucracy');
  await expect(grid(page)).toHaveAttribute('data-loaded-query', 'bureaucracy');
  await sortByR1(page, true);
  await waitForLines(page, 'bureaucracy', 'R1');
  await search(page, 'workers');
  await waitForLines(page, 'workers', 'R1');
  await expect(page.getByRole('button', { name: 'Forward' })).toBeDisabled();

  // Back: bureaucracy, still sorted by R1; Forward: workers again.
  await page.getByRole('button', { name: 'Back' }).click();
  await waitForLines(page, 'bureaucracy', 'R1');
  await expect(queryBox(page)).toHaveValue('bureaucracy');
  await expect(page.getByRole('button', { name: 'Sort by R1' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByRole('button', { name: 'Forward' })).toBeEnabled();
  await page.getByRole('button', { name: 'Forward' }).click();
  await waitForLines(page, 'workers', 'R1');
  await expect(queryBox(page)).toHaveValue('workers');

  // The keys do the same, from the results as from the query box.
  await grid(page).locator('[role=row][tabindex="0"]').focus();
  await page.keyboard.press('Alt+ArrowLeft');
  await waitForLines(page, 'bureaucracy', 'R1');
  await page.keyboard.press('Alt+ArrowRight');
  await waitForLines(page, 'workers', 'R1');

  // Reload: the same view, query and sort, in the same project.
  await savedView('workers', ['R1']);
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'true', { timeout: 60_000 });
  await waitForLines(page, 'workers', 'R1');
  await expect(queryBox(page)).toHaveValue('workers');
  await expect(page.getByRole('tab', { name: 'Concordance' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('button', { name: 'Sort by R1' })).toHaveAttribute('aria-pressed', 'true');
  await expect(projectButton(page)).toHaveText(`Project: ${name}`);
  // The history came back with it.
  await page.getByRole('button', { name: 'Back' }).click();
  await waitForLines(page, 'bureaucracy', 'R1');

  // The panel lists the project, marked as the open one, and says where its file is.
  await projectButton(page).click();
  await expect(panel(page)).toBeVisible();
  const row = panel(page).getByRole('listitem').filter({ hasText: name });
  await expect(row.getByRole('button')).toHaveAttribute('aria-current', 'true');
  await expect(row).toContainText('bundled corpus');
  await expect(panel(page).getByTestId('project-file')).toHaveText(/\.loupe/);
  // Focus is inside the panel; Esc closes it and gives focus back.
  expect(await panel(page).evaluate((d) => d.contains(document.activeElement))).toBe(true);
  await page.keyboard.press('Escape');
  await expect(panel(page)).toBeHidden();
  await expect(projectButton(page)).toBeFocused();
});

test('opening a project from the panel brings back its view', async ({ page }) => {
  await openApp(page);
  const first = `Bureaucracy notes ${Date.now().toString(36)}`;
  const second = `${first} 2`;

  await projectButton(page).click();
  await panel(page).getByLabel('New project').fill(first);
  await panel(page).getByRole('button', { name: 'Create' }).click();
  await expect(projectButton(page)).toHaveText(`Project: ${first}`);
  await search(page, 'bureaucracy');
  await expect(grid(page)).toHaveAttribute('data-loaded-query', 'bureaucracy');
  await sortByR1(page, true);
  await waitForLines(page, 'bureaucracy', 'R1');
  await savedView('bureaucracy', ['R1']);

  // A second project, on another query.
  await projectButton(page).click();
  await panel(page).getByLabel('New project').fill(second);
  await panel(page).getByRole('button', { name: 'Create' }).click();
  await expect(projectButton(page)).toHaveText(`Project: ${second}`);
  await sortByR1(page, false);
  await search(page, 'workers');
  await waitForLines(page, 'workers');
  await savedView('workers', []);

  // Back to the first: its query and sort come back.
  await projectButton(page).click();
  await panel(page).getByRole('listitem').filter({ hasText: first }).filter({ hasNotText: second }).getByRole('button').click();
  await expect(panel(page)).toBeHidden();
  await expect(projectButton(page)).toHaveText(`Project: ${first}`);
  await waitForLines(page, 'bureaucracy', 'R1');
  await expect(queryBox(page)).toHaveValue('bureaucracy');
});

test('the page has one h1, named controls, landmarks and a key from the query to the results', async ({ page }) => {
  await openApp(page);
  await expect(page.locator('h1')).toHaveCount(1);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Loupe');
  await expect(page.getByRole('banner')).toHaveCount(1);
  await expect(page.getByRole('main')).toHaveCount(1);
  await expect(page.getByRole('navigation', { name: 'Views' })).toBeVisible();
  await expect(page.getByRole('search')).toBeVisible();

  const caseButton = page.getByRole('button', { name: 'Match case' });
  await expect(caseButton).toHaveAttribute('aria-pressed', /^(true|false)$/);

  // The first Tab stop is the skip link, shown when focused.
  await page.locator('body').focus();
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to results' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();

  await page.getByRole('tab', { name: 'Concordance' }).click();
  await search(page, 'bureaucracy');
  await expect(grid(page)).toHaveAttribute('data-loaded-query', 'bureaucracy');
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'true');
  await queryBox(page).focus();
  await page.keyboard.press('Control+ArrowDown');
  await expect(grid(page).locator('[role=row][tabindex="0"]')).toBeFocused();
});
