// Hardening: the app under a strict CSP has zero console errors; offline after load every
// control still works and no request is attempted; markup from the URL or a pasted config is
// shown as text and runs nothing; exports download valid SVG, PNG and CSV; a pasted config
// becomes a custom model with a link that reopens it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { launch, serve, watchedPage, ready, setRange, ROOT } from './lib.mjs';

let browser, srv, strict;
before(async () => {
  srv = await serve();
  strict = await serve({ csp: true });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await srv?.close();
  await strict?.close();
});

test('strict CSP: zero console errors while using the page', async () => {
  const { page, problems } = await watchedPage(browser);
  const resp = await page.goto(`${strict.origin}/?model=gemma-3-27b`);
  assert.match(resp.headers()['content-security-policy'], /script-src 'self' 'wasm-unsafe-eval'/);
  await ready(page);
  await setRange(page, '#ctx', 300);
  await page.selectOption('#weights', 'nf4');
  await page.hover('#chart-memory .chart-canvas', { position: { x: 300, y: 150 } });
  await page.waitForSelector('[data-testid=readout-memory]:has-text("At ")');
  await page.click('text=Pin as A');
  await page.selectOption('#model', 'deepseek-v3');
  await page.click('#chart-memory summary');
  assert.deepEqual(problems(), []);
  await page.close();
});

test('offline after load: controls still work and no request is attempted', async () => {
  const { page, ctx, problems } = await watchedPage(browser);
  await page.goto(`${srv.origin}/`);
  await ready(page);
  // The icon is a data: URL, so "after load" has nothing left to fetch: not the favicon (which
  // Chromium re-reads whenever the URL changes), not anything else.
  await page.waitForLoadState('networkidle');
  const requests = [];
  page.on('request', (r) => {
    if (!r.url().startsWith('data:')) requests.push(r);
  });
  await ctx.setOffline(true);
  const before = await page.textContent('[data-testid=key-numbers]');
  await setRange(page, '#ctx', 400);
  await page.selectOption('#model', 'qwen2.5-72b');
  await page.selectOption('#gpu', 'a100-80gb');
  await page.check('input[name=mode][value=train]');
  await page.selectOption('#zero', '2');
  await page.fill('#lora', '16');
  await page.press('#lora', 'Enter');
  await page.selectOption('#fit', 'hoffmann');
  await page.waitForFunction((b) => document.querySelector('[data-testid=key-numbers]').textContent !== b, before);
  await page.waitForTimeout(400);
  assert.deepEqual(requests.map((r) => r.url()), []);
  assert.deepEqual(problems(), []);
  await ctx.setOffline(false);
  await page.close();
});

test('markup from the URL and from a pasted config stays text', async () => {
  const payloads = [
    '<script>window.__xss=1</script>',
    '<img src=x onerror="window.__xss=2">',
    'javascript:window.__xss=3',
  ];
  for (const p of payloads) {
    const { page, problems } = await watchedPage(browser);
    await page.goto(`${strict.origin}/?model=custom&name=${encodeURIComponent(p)}&params=${encodeURIComponent(p)}&${encodeURIComponent(p)}=1`);
    await ready(page);
    assert.equal(await page.evaluate(() => window.__xss), undefined);
    assert.equal(await page.$('main img, main script'), null);
    const svg = await page.$eval('#chart-chinchilla .svg-host', (e) => e.innerHTML);
    assert.ok(!svg.includes('<img') && !svg.includes('<script'), 'chart text escaped');
    assert.deepEqual(problems(), []);
    await page.close();
  }
  const { page, problems } = await watchedPage(browser);
  await page.goto(`${strict.origin}/`);
  await ready(page);
  await page.click('summary:has-text("Architecture")');
  const cfg = JSON.parse(readFileSync(`${ROOT}/tests/fixtures/configs/llama-3.1-8b.json`, 'utf8'));
  cfg._name_or_path = '<img src=x onerror="window.__xss=4">';
  await page.fill('#config-json', JSON.stringify(cfg));
  await page.click('text=Use this config');
  await page.waitForSelector('[data-testid=import-result]');
  await page.waitForTimeout(100);
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  assert.match(await page.textContent('[data-testid=import-result]'), /Imported <img src=x onerror="window.__xss=4">/);
  assert.deepEqual(problems(), []);
  await page.close();
});

test('exports: SVG, PNG and CSV downloads are valid', async () => {
  const { page, problems } = await watchedPage(browser);
  await page.goto(`${strict.origin}/`);
  await ready(page);
  const grab = async (label) => {
    const [dl] = await Promise.all([
      page.waitForEvent('download'),
      page.click(`#chart-memory .chart-actions button:has-text("${label}")`),
    ]);
    const path = await dl.path();
    return { name: dl.suggestedFilename(), bytes: readFileSync(path) };
  };
  const svg = await grab('SVG');
  assert.equal(svg.name, 'llm-memviz-memory.svg');
  const text = svg.bytes.toString('utf8');
  assert.match(text, /^<\?xml/);
  assert.match(text, /<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(text, /Context length \(tokens\)/);
  const csv = await grab('CSV');
  assert.match(csv.bytes.toString('utf8'), /^context_tokens,weights_bytes,kv_cache_bytes,activation_bytes,total_bytes,note\n/);
  assert.match(csv.bytes.toString('utf8'), /\n8192,16060522496,1073741824,/);
  const png = await grab('PNG');
  assert.equal(png.name, 'llm-memviz-memory.png');
  assert.deepEqual([...png.bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.ok(png.bytes.length > 5000, `PNG of ${png.bytes.length} bytes`);
  assert.deepEqual(problems(), []);
  await page.close();
});

test('a pasted config becomes a custom model whose link reopens it', async () => {
  const { page, problems } = await watchedPage(browser);
  await page.goto(`${srv.origin}/`);
  await ready(page);
  await page.click('summary:has-text("Architecture")');
  await page.fill('#config-json', readFileSync(`${ROOT}/tests/fixtures/configs/gemma-3-27b.json`, 'utf8'));
  await page.click('text=Use this config');
  await page.waitForSelector('[data-testid=import-result]:has-text("27B")');
  await page.waitForFunction(() => location.search.includes('model=custom'));
  const cards = await page.textContent('[data-testid=key-numbers]');
  const url = page.url();
  assert.match(url, /window=1024/);
  const { page: again, problems: p2 } = await watchedPage(browser);
  await again.goto(url);
  await ready(again);
  assert.equal(await again.textContent('[data-testid=key-numbers]'), cards);
  // A broken paste is explained, and the model stays.
  await page.fill('#config-json', '{"hidden_size": -1}');
  await page.click('text=Use this config');
  await page.waitForSelector('[data-testid=import-result]:has-text("could not be used")');
  assert.equal(await page.textContent('[data-testid=key-numbers]'), cards);
  assert.deepEqual(problems(), []);
  assert.deepEqual(p2(), []);
  await page.close();
  await again.close();
});
