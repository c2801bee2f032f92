// Embedding: a host page on another origin embeds two iframes with different views and
// controls; both render, resize to their content through embed.js, and follow theme=. The
// site also works from a path prefix, and in an `allow-scripts allow-same-origin` sandbox.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, serve, watchedPage, shot, ready, DIST } from './lib.mjs';

let browser, app, host;
before(async () => {
  app = await serve({ prefix: '/tools/llm-memviz/' });
  browser = await launch();
  const base = `${app.origin}/tools/llm-memviz/`;
  const page = `<!doctype html><html><head><meta charset="utf-8"><title>Weights vs activations</title>
  <script src="/embed.js" defer></script></head><body>
  <h1>Weights vs activations</h1><p>A paragraph about context length.</p>
  <iframe id="one" src="${base}?embed=1&view=memory&controls=ctx,batch&ctx=32k" data-llm-memviz width="100%" height="150" sandbox="allow-scripts allow-same-origin allow-downloads"></iframe>
  <p>And about training data.</p>
  <iframe id="two" src="${base}?embed=1&view=chinchilla,isoflop&controls=tokens,fit&theme=dark" data-llm-memviz width="100%" height="150"></iframe>
  <iframe id="plain" src="${base}?embed=1&view=speed&controls=none" width="100%" height="300"></iframe>
  </body></html>`;
  // The host is another origin (its own port) serving the page and embed.js.
  host = await serve({
    prefix: '/nothing/',
    extra: { '/': page, '/embed.js': readFileSync(join(DIST, 'static', 'embed.js'), 'utf8') },
  });
});
after(async () => {
  await browser?.close();
  await app?.close();
  await host?.close();
});

test('two iframes render, resize to their content and follow theme', async () => {
  const { page, problems } = await watchedPage(browser, { width: 900 });
  await page.route('**/embed.js', (route) =>
    route.fulfill({ contentType: 'text/javascript', body: readFileSync(join(DIST, 'static', 'embed.js'), 'utf8') }),
  );
  await page.goto(host.origin + '/');
  const one = page.frameLocator('#one');
  const two = page.frameLocator('#two');
  await one.locator('#chart-memory .svg-host svg').waitFor();
  await two.locator('#chart-chinchilla .svg-host svg').waitFor();
  await two.locator('#chart-isoflop .svg-host svg').waitFor();
  // Only the chosen controls.
  assert.equal(await one.locator('#ctx').count(), 1);
  assert.equal(await one.locator('#batch').count(), 1);
  assert.equal(await one.locator('#model').count(), 0);
  assert.equal(await two.locator('#tokens').count(), 1);
  assert.equal(await two.locator('#ctx').count(), 0);
  assert.equal(await page.frameLocator('#plain').locator('aside.controls').count(), 0);
  // Auto-height: embed.js sets each marked iframe to its content height.
  await page.waitForFunction(() => ['one', 'two'].every((id) => document.getElementById(id).getBoundingClientRect().height > 400));
  // The frame's inside (its own border, which embed.js leaves alone, outside it).
  const h1 = await page.$eval('#one', (f) => f.clientHeight);
  const inner = await one.locator('html').evaluate((e) => e.scrollHeight);
  assert.ok(Math.abs(h1 - inner) <= 2, `iframe ${h1}px vs content ${inner}px`);
  // The unmarked iframe keeps its fixed height.
  assert.equal(await page.$eval('#plain', (f) => f.clientHeight), 300);
  // Theme.
  assert.equal(await two.locator('html').getAttribute('data-theme'), 'dark');
  // Changing a control inside an iframe works and resizes nothing else.
  await one.locator('#ctx-num').fill('128k');
  await one.locator('#ctx-num').press('Enter');
  await one.locator('#chart-memory svg text:has-text("128k tokens")').first().waitFor();
  await shot(page, 'embed-host');
  assert.deepEqual(problems(), []);
  await page.close();
});

test('works from a path prefix with relative assets', async () => {
  const { page, problems } = await watchedPage(browser);
  await page.goto(`${app.origin}/tools/llm-memviz/?model=qwen2.5-7b`);
  await ready(page);
  assert.equal(await page.$eval('#model', (e) => e.value), 'qwen2.5-7b');
  await page.click('#embed summary');
  await page.waitForSelector('#embed-snippet');
  // The snippet comes once the view's height is measured.
  await page.waitForFunction(() => document.getElementById('embed-snippet').value.startsWith('<iframe'), null, { timeout: 15000 });
  const snippet = await page.$eval('#embed-snippet', (e) => e.value);
  assert.match(snippet, new RegExp(`src="${app.origin}/tools/llm-memviz/\\?v=2`));
  assert.match(snippet, /static\/embed\.js/);
  assert.deepEqual(problems(), []);
  await page.close();
});
