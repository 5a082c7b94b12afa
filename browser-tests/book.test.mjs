// Browser tests of the built book: `node --test` from this directory, after `cargo xtask build`.
//
// Serves book/html on 127.0.0.1, drives Debian's Chromium with playwright-core, and checks what
// a reader relies on: pages load cleanly, Run/Copy buttons and hidden lines work, search finds
// late chapters, the theme switcher works, print.html has everything, and no request leaves
// localhost except mdbook's query of the playground's crate list (answered here, offline).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdtempSync, mkdirSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, extname, normalize, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const html = process.env.BOOK_HTML ?? join(repo, 'book', 'html');
const screenshots = join(repo, 'target', 'browser-tests');
const PLAYGROUND_CRATES = 'https://play.rust-lang.org/meta/crates';

const TYPES = {
  '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml',
  '.png': 'image/png', '.woff2': 'font/woff2', '.woff': 'font/woff', '.ttf': 'font/ttf',
  '.json': 'application/json', '.txt': 'text/plain',
};

/** The chapters, in order, as SUMMARY.md lists them. */
const chapters = [...readFileSync(join(repo, 'src', 'SUMMARY.md'), 'utf8')
  .matchAll(/\]\(([^)]+)\.md\)/g)].map((m) => `${m[1]}.html`);

let server;
let origin;
let context;
/** Every URL any page requested, for the no-external-requests check. */
const requested = [];

before(async () => {
  assert.ok(existsSync(join(html, 'index.html')), `no built book at ${html}: run cargo xtask build`);
  server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    let file = join(html, path);
    if (file.endsWith('/')) file = join(file, 'index.html');
    if (!file.startsWith(html) || !existsSync(file)) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${server.address().port}`;

  mkdirSync(screenshots, { recursive: true });
  context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'book-chromium-')), {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--no-first-run', '--disable-quic', '--disable-sync',
    ],
  });
  context.on('request', (request) => requested.push(request.url()));
  // mdbook asks the playground which crates it offers, to decide where Run buttons appear.
  // Answer offline with the crates the book may use (the committed allow-list).
  const allowed = readFileSync(join(repo, 'xtask', 'playground-crates.txt'), 'utf8')
    .split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const crateList = {
    // The page fetches this cross-origin, so the answer must allow it.
    headers: { 'access-control-allow-origin': '*', 'access-control-allow-headers': '*' },
    json: { crates: allowed.map((id) => ({ id, name: id, version: '*' })) },
  };
  // One route decides every request: the book's own files go through, the crate list is
  // answered here, and anything else off this machine fails (the last test reports it).
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(origin)) return route.continue();
    if (url === PLAYGROUND_CRATES) return route.fulfill(crateList);
    return route.abort();
  });
});

after(async () => {
  await context?.close();
  server?.close();
});

/** Opens `page` and returns it with the console errors and page errors it produced. */
async function open(path) {
  const page = await context.newPage();
  const errors = [];
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto(`${origin}/${path}`, { waitUntil: 'load' });
  return { page, errors };
}

test('every chapter loads without console errors', async () => {
  assert.ok(chapters.length >= 20, `SUMMARY.md lists only ${chapters.length} chapters`);
  for (const chapter of ['index.html', ...chapters, 'print.html']) {
    const { page, errors } = await open(chapter);
    assert.ok((await page.title()).length > 0, `${chapter} has no title`);
    assert.deepEqual(errors, [], `${chapter} logged errors`);
    await page.close();
  }
});

test('runnable blocks show Run and Copy buttons, and hidden lines toggle', async () => {
  const { page } = await open('ch01-spawning-threads.html');
  const block = page.locator('pre.playground').filter({ has: page.locator('.boring') }).first();
  // mdbook shows a block's buttons while the pointer is over it.
  await block.hover();
  await block.locator('.play-button').waitFor({ state: 'visible' });
  assert.equal(await block.locator('.clip-button').count(), 1);

  const code = block.locator('code');
  const hiddenLine = block.locator('.boring').first();
  assert.ok(await code.evaluate((el) => el.classList.contains('hide-boring')));
  assert.ok(!(await hiddenLine.isVisible()), 'hidden lines start hidden');
  await block.locator('button[title="Show hidden lines"]').click();
  assert.ok(await hiddenLine.isVisible(), 'the eye button reveals hidden lines');
  await block.locator('button[title="Hide lines"]').click();
  assert.ok(!(await hiddenLine.isVisible()), 'and hides them again');

  // A starter marked no_run compiles in the tests but offers no Run button.
  const noRun = page.locator('pre.playground:has(code.no_run)').first();
  await noRun.hover();
  await noRun.locator('.clip-button').waitFor({ state: 'visible' });
  assert.equal(await noRun.locator('.play-button').isVisible(), false);
  await block.hover();
  await page.screenshot({ path: join(screenshots, 'ch01-spawning-threads.png'), fullPage: false });
  await page.close();
});

test('search finds a term from a late chapter', async () => {
  const { page } = await open('index.html');
  await page.click('#mdbook-search-toggle');
  // The search box reacts to key presses, so type rather than fill.
  await page.locator('#mdbook-searchbar').pressSequentially('pipelines');
  const hit = page.locator('#mdbook-searchresults a[href*="ch26-fan-out-fan-in"]').first();
  await hit.waitFor({ state: 'visible', timeout: 10_000 });
  await page.screenshot({ path: join(screenshots, 'search.png') });
  await page.close();
});

test('the theme switcher changes the theme', async () => {
  const { page } = await open('ch01-spawning-threads.html');
  await page.click('#mdbook-theme-toggle');
  await page.click('#mdbook-theme-coal');
  const classes = await page.evaluate(() => document.documentElement.className);
  assert.match(classes, /\bcoal\b/);
  if (!(await page.locator('#mdbook-theme-list').isVisible())) {
    await page.click('#mdbook-theme-toggle');
  }
  await page.click('#mdbook-theme-light');
  assert.match(await page.evaluate(() => document.documentElement.className), /\blight\b/);
  await page.close();
});

test('print.html contains every chapter', async () => {
  const { page } = await open('print.html');
  const titles = await page.locator('main h1').allTextContents();
  for (const chapter of chapters) {
    const heading = readFileSync(join(repo, 'src', chapter.replace(/\.html$/, '.md')), 'utf8')
      .split('\n').find((l) => l.startsWith('# '))?.slice(2).trim();
    assert.ok(titles.includes(heading), `print.html lacks "${heading}" (${chapter})`);
  }
  await page.close();
});

test('no request leaves localhost except the playground crate list', () => {
  const external = requested.filter((url) =>
    !url.startsWith(origin) && url !== PLAYGROUND_CRATES && !url.startsWith('data:'));
  assert.deepEqual([...new Set(external)], []);
  assert.ok(requested.includes(PLAYGROUND_CRATES), 'mdbook did not ask for the crate list');
});
