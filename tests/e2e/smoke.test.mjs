// Smoke: the release build loads with zero console errors and failed requests, the memory
// chart is visible with its axis labels, the context slider (keyboard and drag) changes the
// chart and the URL, and screenshots at 1280 and 375 px, light and dark, and embed mode are
// saved under target/screenshots/ to be looked at.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { watchedPage, ready, shot, setRange, useBrowserAndServer } from './lib.mjs';

const env = useBrowserAndServer();

test('loads clean, chart visible with axis labels', async () => {
  const { page, problems } = await watchedPage(env.browser);
  await page.goto(env.origin + '/');
  await ready(page);
  const svg = await page.$eval('#chart-memory .svg-host', (e) => e.innerHTML);
  assert.match(svg, /Context length \(tokens\)/);
  assert.match(svg, /Memory \(GiB\)/);
  assert.ok(await page.isVisible('#chart-memory .svg-host svg'));
  assert.deepEqual(problems(), []);
  await page.close();
});

test('context slider changes the chart and the URL (keyboard and drag)', async () => {
  const { page, problems } = await watchedPage(env.browser);
  await page.goto(env.origin + '/');
  await ready(page);
  const chart = () => page.$eval('#chart-memory .chart-canvas', (e) => e.innerHTML);
  const before = await chart();
  await page.focus('#ctx');
  for (let i = 0; i < 40; i++) await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => location.search.includes('ctx='));
  const afterKeys = await chart();
  assert.notEqual(afterKeys, before);
  const url1 = new URL(page.url());
  assert.ok(Number.isFinite(Number.parseInt(url1.searchParams.get('ctx'))) || /k$/.test(url1.searchParams.get('ctx')));
  // A drag: the range input's own value changes with input events.
  const box = await page.locator('#ctx').boundingBox();
  await page.mouse.move(box.x + 4, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.25, box.y + box.height / 2, { steps: 8 });
  await page.mouse.up();
  await page.waitForFunction((u) => location.search !== u, url1.search);
  assert.notEqual(await chart(), afterKeys);
  const summary = await page.textContent('#chart-memory figcaption');
  assert.match(summary, /^At [\d,]+ tokens the KV cache \(the activations kept for past tokens\) is/);
  assert.deepEqual(problems(), []);
  await page.close();
});

test('tables, show working and the embed builder are built when opened and follow the state', async () => {
  const { page, problems } = await watchedPage(env.browser);
  await page.goto(env.origin + '/?ctx=8k');
  await ready(page);
  await page.waitForSelector('#chart-breakdown .svg-host svg');
  // Closed: no table in the page.
  assert.equal(await page.$$eval('#chart-memory table', (t) => t.length), 0);
  await page.click('#chart-memory .data-table summary');
  await page.waitForSelector('#chart-memory table tbody tr');
  const rowWith = (n) => page.$$eval('#chart-memory table tbody tr', (rows, n) => rows.some((r) => r.textContent.includes(n)), n);
  assert.ok(await rowWith('8,192'), 'the current context is a row');
  // The open table follows the slider.
  await page.fill('#ctx-num', '100000');
  await page.press('#ctx-num', 'Enter');
  await page.waitForFunction(() => [...document.querySelectorAll('#chart-memory table tbody tr')].some((r) => r.textContent.includes('100,000')));
  // Show working: formulas with the current values.
  await page.click('.working summary');
  await page.waitForSelector('.working dd code');
  assert.ok((await page.$$eval('.working dt', (d) => d.length)) > 5);
  // The embed builder keeps its choices across closing and reopening.
  await page.click('#embed summary');
  await page.waitForSelector('#embed-snippet');
  await page.check('#embed input[type=checkbox] >> nth=1');
  // The builder measures the view (in a hidden 360 px frame) before it offers a snippet.
  await page.waitForFunction(() => /view=memory(%2C|,)breakdown/.test(document.querySelector('#embed-snippet').value), null, { timeout: 15000 });
  const snippet = await page.$eval('#embed-snippet', (e) => e.value);
  assert.match(snippet, /view=memory%2Cbreakdown|view=memory,breakdown/);
  assert.match(snippet, /ctx=100000/, 'the snippet carries the current scenario');
  await page.click('#embed summary');
  await page.waitForSelector('#embed-snippet', { state: 'detached' });
  await page.click('#embed summary');
  await page.waitForSelector('#embed-snippet');
  await page.waitForFunction(() => /^<iframe /.test(document.querySelector('#embed-snippet').value), null, { timeout: 15000 });
  assert.equal(await page.$eval('#embed-snippet', (e) => e.value), snippet);
  assert.deepEqual(problems(), []);
  await page.close();
});

test('screenshots: 1280 and 375 px, light and dark, embed', async () => {
  const cases = [
    ['desktop-light', 1280, 'light', ''],
    ['desktop-dark', 1280, 'dark', ''],
    ['mobile-light', 375, 'light', ''],
    ['mobile-dark', 375, 'dark', ''],
    ['embed-memory', 760, 'light', 'embed=1&view=memory&controls=ctx,batch'],
    ['training-70b', 1280, 'light', 'model=llama-3.1-70b&mode=train&zero=3&dp=64&recompute=selective'],
  ];
  for (const [name, width, colorScheme, q] of cases) {
    const { page, problems } = await watchedPage(env.browser, { width, colorScheme });
    await page.goto(`${env.origin}/?${q}`);
    await ready(page);
    if (q.includes('embed=1')) {
      assert.equal(await page.$('header.top'), null, 'no chrome in embed mode');
    }
    const path = await shot(page, name);
    assert.ok(path.endsWith('.png'));
    assert.deepEqual(problems(), [], name);
    await page.close();
  }
});
