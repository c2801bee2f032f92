// Share links: a garbage link opens with warnings and its valid fields intact; copying a link
// and opening it in a new page reproduces the same numbers; A/B comparisons survive the link.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { watchedPage, ready, useBrowserAndServer } from './lib.mjs';

const env = useBrowserAndServer();

test('garbage values warn and keep the valid fields', async () => {
  const { page, problems } = await watchedPage(env.browser);
  await page.goto(`${env.origin}/?model=llama-3.1-70b&ctx=lots&batch=4&weights=q9&gpu=h200-141gb&zero=99&bogus=1`);
  await ready(page);
  const w = await page.textContent('[data-testid=warnings]');
  for (const key of ['ctx', 'weights', 'zero', 'bogus']) assert.match(w, new RegExp(key));
  assert.equal(await page.$eval('#model', (e) => e.value), 'llama-3.1-70b');
  assert.equal(await page.$eval('#gpu', (e) => e.value), 'h200-141gb');
  assert.equal(await page.$eval('#batch-num', (e) => e.value), '4');
  assert.equal(await page.$eval('#ctx-num', (e) => e.value), '8k');
  await page.click('[data-testid=warnings] button');
  assert.equal(await page.$('[data-testid=warnings]'), null);
  assert.deepEqual(problems(), []);
  await page.close();
});

test('a copied link reopens the same view with the same numbers', async () => {
  const ctx = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.origin });
  const { page, problems } = await watchedPage(env.browser, { context: ctx });
  await page.goto(`${env.origin}/`);
  await ready(page);
  await page.selectOption('#model', 'mixtral-8x7b');
  await page.selectOption('#weights', 'q4_k_m');
  await page.fill('#ctx-num', '32k');
  await page.press('#ctx-num', 'Enter');
  await page.fill('#batch-num', '16');
  await page.press('#batch-num', 'Enter');
  await page.click('text=Pin as A');
  await page.selectOption('#kv', 'fp8');
  await page.click('button.primary');
  await page.waitForSelector('.toolbar .status:has-text("Link copied")');
  const link = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(link, /model=mixtral-8x7b/);
  assert.match(link, /a\.model=mixtral-8x7b/);
  const cards = await page.textContent('[data-testid=key-numbers]');
  const summary = await page.textContent('#chart-memory figcaption');
  const { page: page2, problems: p2 } = await watchedPage(env.browser);
  await page2.goto(link);
  await ready(page2);
  assert.equal(await page2.textContent('[data-testid=key-numbers]'), cards);
  assert.equal(await page2.textContent('#chart-memory figcaption'), summary);
  assert.match(await page2.$eval('#chart-memory .svg-host', (e) => e.innerHTML), /A: Mixtral-8x7B/);
  assert.deepEqual(problems(), []);
  assert.deepEqual(p2(), []);
  await ctx.close();
  await page2.close();
});

test('typed values with suffixes, and invalid typing is reported inline', async () => {
  const { page, problems } = await watchedPage(env.browser);
  await page.goto(`${env.origin}/`);
  await ready(page);
  await page.fill('#params-num', '70B');
  await page.press('#params-num', 'Enter');
  await page.waitForSelector('[data-testid=shape-assumed]');
  await page.fill('#tokens-num', '1.5T');
  await page.press('#tokens-num', 'Enter');
  await page.waitForFunction(() => location.search.includes('params=70B') && location.search.includes('tokens=1.5T'));
  await page.fill('#batch-num', 'many');
  await page.press('#batch-num', 'Enter');
  const err = await page.textContent('.field-error');
  assert.match(err, /kept 1/);
  assert.deepEqual(problems(), []);
  await page.close();
});
