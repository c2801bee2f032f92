// The first view (issue 15): a bare URL shows the memory chart and its sentence in the first
// paint, from the prerendered dist/index.html, before the module has even arrived; a link that
// carries state never flashes that default; the mounted app replaces it with the same numbers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowserAndServer, watchedPage, ready } from './lib.mjs';

const env = useBrowserAndServer();

/** A page whose WebAssembly module is still downloading (the request is held): what a reader
 * sees meanwhile. */
async function withoutModule(width = 1280) {
  const { page } = await watchedPage(env.browser, { width, height: 900 });
  await page.route('**/*.wasm', () => new Promise(() => {}));
  return page;
}

const visible = (page, sel) => page.$eval(sel, (el) => {
  const r = el.getBoundingClientRect();
  return getComputedStyle(el).display !== 'none' && r.width > 0 && r.height > 0;
});

test('a bare URL shows the memory chart and its sentence before the module arrives', async () => {
  for (const [width, drawing] of [[1280, '.pre-wide svg'], [375, '.pre-narrow svg']]) {
    const page = await withoutModule(width);
    await page.goto(`${env.origin}/`, { waitUntil: 'domcontentloaded' });
    assert.ok(await visible(page, `#chart-memory ${drawing}`), `${width}px: the chart is visible`);
    const box = await page.$eval(`#chart-memory ${drawing}`, (el) => el.getBoundingClientRect().width);
    assert.ok(box > width * 0.6, `${width}px: the chart spans the column (${box}px)`);
    const summary = await page.textContent('#chart-memory .summary');
    assert.match(summary, /122,533 tokens/);
    assert.equal(await visible(page, '.pre-state'), false, 'no loading line');
    await page.close();
  }
});

test('a link with state, or an embed, shows the loading line and never the default view', async () => {
  for (const q of ['?model=qwen2.5-7b&ctx=32k', '?v=1&view=speed&embed=1', '?theme=dark']) {
    const page = await withoutModule();
    await page.goto(`${env.origin}/${q}`, { waitUntil: 'domcontentloaded' });
    assert.equal(await visible(page, '#prerender'), false, `${q}: the default view is hidden`);
    assert.ok(await visible(page, '.pre-state'), `${q}: the loading line shows`);
    await page.close();
  }
  // `v=1` alone is the default view's own link.
  const page = await withoutModule();
  await page.goto(`${env.origin}/?v=1`, { waitUntil: 'domcontentloaded' });
  assert.ok(await visible(page, '#prerender'));
  await page.close();
});

test('the mounted app replaces the first view with the same chart and sentence', async () => {
  const { page, problems } = await watchedPage(env.browser);
  await page.goto(`${env.origin}/`);
  const before = await page.textContent('#chart-memory .summary');
  await ready(page);
  assert.equal(await page.$$eval('#prerender, .pre-state', (els) => els.length), 0, 'the prerendered view is gone');
  assert.equal(await page.$$eval('#chart-memory', (els) => els.length), 1, 'one memory chart');
  assert.equal(await page.textContent('#chart-memory .summary'), before, 'the same sentence');
  assert.deepEqual(problems(), []);
  await page.close();
});

test('a link pasted into a chat previews the default chart with its numbers', async () => {
  const page = await withoutModule();
  await page.goto(`${env.origin}/?model=qwen2.5-7b`, { waitUntil: 'domcontentloaded' });
  const meta = (p) => page.$eval(`meta[property="${p}"]`, (m) => m.getAttribute('content'));
  assert.match(await meta('og:description'), /122,533 tokens/);
  assert.equal(await meta('og:image:width'), '1200');
  const image = await meta('og:image');
  await page.close();
  // The image is served beside the page: a 1200 × 630 PNG (IHDR width and height, big-endian).
  const res = await fetch(new URL(image, `${env.origin}/`));
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'image/png');
  const png = Buffer.from(await res.arrayBuffer());
  assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
  assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [1200, 630]);
});
