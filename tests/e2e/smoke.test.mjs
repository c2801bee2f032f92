// Smoke: the release build loads with zero console errors and failed requests, the memory
// chart is visible with its axis labels, the context slider (keyboard and drag) changes the
// chart and the URL, and screenshots at 1280 and 375 px, light and dark, and embed mode are
// saved under target/screenshots/ to be looked at.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, serve, watchedPage, ready, shot, setRange } from './lib.mjs';

let browser, srv;
before(async () => {
  srv = await serve();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await srv?.close();
});

test('loads clean, chart visible with axis labels', async () => {
  const { page, problems } = await watchedPage(browser);
  await page.goto(srv.origin + '/');
  await ready(page);
  const svg = await page.$eval('#chart-memory .svg-host', (e) => e.innerHTML);
  assert.match(svg, /Context length \(tokens\)/);
  assert.match(svg, /Memory \(GiB\)/);
  assert.ok(await page.isVisible('#chart-memory .svg-host svg'));
  assert.deepEqual(problems(), []);
  await page.close();
});

test('context slider changes the chart and the URL (keyboard and drag)', async () => {
  const { page, problems } = await watchedPage(browser);
  await page.goto(srv.origin + '/');
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
  assert.match(summary, /^At [\d,]+ tokens the KV cache is/);
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
    const { page, problems } = await watchedPage(browser, { width, colorScheme });
    await page.goto(`${srv.origin}/?${q}`);
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
