/**
 * The report in a real browser: reports/index.html (written by `npm start`) must show the state
 * diagrams, the claims table, the cards with their sequence diagrams, and drills that can be answered
 * by clicking, with a running score. Saves a screenshot to reports/screenshot.png.
 *
 * Needs /usr/bin/chromium (Debian: `apt-get install -y chromium`; CHROMIUM=path to override) and the
 * report (`npm start`). playwright-core downloads no browser; never run `npx playwright install`.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';

const REPORT = resolve('reports/index.html');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
let browser: Browser;
let page: Page;

beforeAll(async () => {
  if (!existsSync(REPORT)) throw new Error(`${REPORT} is missing: run \`npm start\` first`);
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  // Offline: any request leaving the file would be a CDN dependency.
  const external: string[] = [];
  page.on('request', (r) => {
    if (!r.url().startsWith('file:')) external.push(r.url());
  });
  await page.goto(pathToFileURL(REPORT).href);
  expect(external).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
});

test('the state diagrams render as inline SVG', async () => {
  const diagrams = page.locator('.diagram[data-diagram] svg');
  expect(await diagrams.count()).toBe(4);
  // Graphviz nodes drawn inside the task diagram.
  expect(await page.locator('.diagram[data-diagram="task"] svg g.node').count()).toBeGreaterThan(10);
  const box = await diagrams.first().boundingBox();
  expect(box && box.width > 100 && box.height > 50).toBe(true);
});

test('the claims table lists every claim and filters by verdict', async () => {
  const rows = page.locator('#claims tbody tr');
  expect(await rows.count()).toBe(71);
  await page.selectOption('#f-verdict', 'false');
  const visible = page.locator('#claims tbody tr:visible');
  const n = await visible.count();
  expect(n).toBeGreaterThan(10);
  expect(n).toBeLessThan(71);
  for (const v of await visible.evaluateAll((els) => els.map((e) => e.getAttribute('data-verdict'))))
    expect(v).toBe('false');
  await page.selectOption('#f-verdict', '');
  expect(await visible.count()).toBe(71);
});

test('cards render with their counterexample and a drawn sequence diagram', async () => {
  const card = page.locator('#card-drain-reschedules-tasks');
  await expect.poll(() => card.count()).toBe(1);
  expect(await card.locator('h2').first().textContent()).toContain('Draining a node');
  expect(await card.textContent()).toContain('Verdict: FALSE');
  expect(await card.locator('pre code.lang-sh').textContent()).toContain(
    'docker node update --availability drain worker-1',
  );
  const seq = card.locator('.seq svg.sequence');
  expect(await seq.count()).toBe(1);
  expect(await seq.locator('text.sq-pt').allTextContents()).toContain('agent worker-1');
  expect(await page.locator('article.card').count()).toBeGreaterThanOrEqual(50);
});

test('a drill can be answered by clicking, and the score counts it', async () => {
  const stmt = page.locator('.stmt').first();
  const answer = await stmt.getAttribute('data-answer');
  await stmt.locator('button', { hasText: answer === 'yes' ? 'Yes' : 'No' }).click();
  await expect.poll(() => stmt.getAttribute('class')).toContain('right');
  expect(await stmt.locator('.explain').isVisible()).toBe(true);
  const second = page.locator('.stmt').nth(1);
  const a2 = await second.getAttribute('data-answer');
  await second.locator('button', { hasText: a2 === 'yes' ? 'No' : 'Yes' }).click();
  await expect.poll(() => second.getAttribute('class')).toContain('wrong');
  expect(await page.locator('#score').textContent()).toMatch(/^1 \/ 2 answered/);
  await page.locator('#drills').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'reports/screenshot.png' });
});
