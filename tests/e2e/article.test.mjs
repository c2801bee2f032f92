// The article's reader and editor: an embed's share button copies a link that reopens the same
// chart, state and read-out in the full app, scrolled to that chart; in the dark neither the
// loading line nor the first view is light; a sandboxed frame that cannot run the module says so
// and links out; the builder names each frame after its figures and offers the claims' embeds;
// five embeds load into an article on a slow network without moving it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { watchedPage, ready, useBrowserAndServer, serve, DIST } from './lib.mjs';

const env = useBrowserAndServer();

test('an embed\'s share button copies a link to its chart, state and read-out; the link opens there', async () => {
  const ctx = await env.browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true });
  await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.origin });
  const { page, problems } = await watchedPage(env.browser, { context: ctx });
  await page.goto(`${env.origin}/?model=chinchilla-70b&view=chinchilla&controls=params,tokens&embed=1`);
  await ready(page);
  // A tap on the chart sets the read-out; the share button is keyboard-reachable text.
  const box = await page.$eval('#chart-chinchilla .svg-host svg', (s) => {
    const r = s.getBoundingClientRect();
    return { x: r.left + r.width * 0.55, y: r.top + r.height * 0.5 };
  });
  await page.touchscreen.tap(box.x, box.y);
  await page.waitForFunction(() => /model:/.test(document.querySelector('[data-testid=readout-chinchilla]').textContent));
  const readout = await page.textContent('[data-testid=readout-chinchilla]');
  await page.focus('[data-testid=share-chinchilla]');
  await page.keyboard.press('Enter');
  await page.locator('[data-testid=share-status]', { hasText: 'Link to this chart copied' }).waitFor();
  const link = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(link, /model=chinchilla-70b/);
  assert.match(link, /focus=chinchilla&at=[\d.e+]+/);
  assert.doesNotMatch(link, /embed=1/);
  // Opened: the full app, that chart first, scrolled to, with the same read-out.
  const { page: page2, problems: p2 } = await watchedPage(env.browser, { width: 390, height: 844 });
  await page2.goto(link);
  await ready(page2);
  await page2.waitForFunction(() => {
    const r = document.getElementById('chart-chinchilla')?.getBoundingClientRect();
    return r && r.top >= -2 && r.top < innerHeight / 2;
  }, null, { timeout: 5000 });
  assert.equal(await page2.textContent('[data-testid=readout-chinchilla]'), readout);
  assert.equal(await page2.$eval('.figures figure.chart', (f) => f.id), 'chart-chinchilla');
  assert.deepEqual(problems(), []);
  assert.deepEqual(p2(), []);
  await page2.close();
  await ctx.close();
});

test('in the dark, the loading line and the first view are dark before the module arrives', async () => {
  for (const q of ['/', '/?model=llama-3.1-8b&view=memory&embed=1']) {
    const ctx = await env.browser.newContext({ viewport: { width: 390, height: 844 }, colorScheme: 'dark' });
    const page = await ctx.newPage();
    await page.route('**/*.wasm', () => new Promise(() => {}));
    await page.goto(env.origin + q, { waitUntil: 'domcontentloaded' });
    // The page's background and the loading line or first view on it: dark, light text.
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const [r, g, b] = bg.match(/\d+/g).map(Number);
    assert.ok(0.2126 * r + 0.7152 * g + 0.0722 * b < 60, `${q}: background ${bg}`);
    const fg = await page.evaluate(() => getComputedStyle(document.querySelector('#app')).color);
    const [fr, fgn, fb] = fg.match(/\d+/g).map(Number);
    assert.ok(0.2126 * fr + 0.7152 * fgn + 0.0722 * fb > 150, `${q}: text ${fg}`);
    await ctx.close();
  }
});

test('a frame sandboxed without allow-same-origin says so and links out', async () => {
  const { page } = await watchedPage(env.browser, { width: 800, height: 900 });
  await page.setContent(`<iframe id="f" sandbox="allow-scripts" src="${env.origin}/?view=memory&embed=1" width="600" height="600"></iframe>`);
  const frame = await (await page.$('#f')).contentFrame();
  await frame.waitForSelector('.loading[role=alert] a', { timeout: 12000 });
  const words = await frame.textContent('.loading[role=alert]');
  assert.match(words, /could not start here/);
  const href = await frame.$eval('.loading[role=alert] a', (a) => a.getAttribute('href'));
  assert.match(href, /view=memory/);
  assert.doesNotMatch(href, /embed=1/);
  await page.close();
});

test('the builder names each frame after its figures, waits for its height, and offers the claims', async () => {
  const { page, problems } = await watchedPage(env.browser, { width: 1280, height: 900 });
  await page.goto(`${env.origin}/?v=2&model=chinchilla-70b&view=chinchilla&controls=params,tokens#embed`);
  await ready(page);
  // Opened by the link's #embed.
  assert.equal(await page.$eval('#embed', (d) => d.open), true);
  await page.waitForFunction(() => /<iframe /.test(document.getElementById('embed-snippet').value), null, { timeout: 15000 });
  const snippet = await page.inputValue('#embed-snippet');
  assert.match(snippet, /title="llm-memviz: How much data a model should see"/);
  assert.match(snippet, /controls=params,tokens/);
  await page.fill('#embed-title', 'Chinchilla "beat" Gopher');
  await page.press('#embed-title', 'Tab');
  await page.waitForFunction(() => document.getElementById('embed-snippet').value.includes('title="Chinchilla &quot;beat&quot; Gopher"'));
  const claims = await page.$$eval('.ready-embeds li a', (a) => a.map((x) => x.getAttribute('href')));
  assert.equal(claims.length, 6);
  assert.ok(claims.every((h) => h.endsWith('#embed')));
  assert.deepEqual(problems(), []);
  await page.close();
});

test('the footer gives the command that prints this view', async () => {
  const { page, problems } = await watchedPage(env.browser);
  await page.goto(`${env.origin}/?model=qwen3-8b&ctx=32k`);
  await ready(page);
  assert.equal(await page.textContent('[data-testid=cli-command]'), "cargo run --release -- 'v=2&model=qwen3-8b&ctx=32k'");
  assert.deepEqual(problems(), []);
  await page.close();
});

test('a compute budget and the tokens a model will serve: typed, linked, drawn and said', async () => {
  const { page, problems } = await watchedPage(env.browser, { width: 1280, height: 900 });
  await page.goto(`${env.origin}/?model=llama-2-13b&fit=hoffmann`);
  await ready(page);
  await page.fill('#compute', '1e23');
  await page.press('#compute', 'Enter');
  await page.fill('#inference_tokens', '2T');
  await page.press('#inference_tokens', 'Enter');
  await page.waitForFunction(() => /compute=1e23&inference_tokens=2T/.test(location.search), null, { timeout: 5000 });
  // A figure out of view follows once the change settles.
  await page.locator('#chart-chinchilla-summary', { hasText: 'Served for 2T tokens' }).waitFor();
  const said = await page.textContent('#chart-chinchilla-summary');
  assert.match(said, /A budget of 1\.00e23 FLOPs buys 14\.6B parameters on 1\.14T tokens/);
  assert.match(said, /Served for 2T tokens, a [\d.]+B model trained on [\d.]+T tokens reaches the same loss/);
  assert.match(await page.$eval('#chart-chinchilla svg', (s) => s.textContent), /Cheapest serving 2T/);
  assert.deepEqual(problems(), []);
  await page.close();
});

test('a tap on a famous model\'s dot names it; the iso-FLOP chart shows Chinchilla below Gopher', async () => {
  const ctx = await env.browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  const { page, problems } = await watchedPage(env.browser, { context: ctx });
  await page.goto(`${env.origin}/?model=chinchilla-70b&view=chinchilla,isoflop`);
  await ready(page);
  await page.waitForSelector('#chart-isoflop .svg-host svg');
  await page.$eval('#chart-chinchilla .chart-canvas', (e) => e.scrollIntoView({ block: 'center' }));
  // Gopher's column (280B), from the x ticks "100B" and "1T" on the log axis.
  const at = await page.$eval('#chart-chinchilla .svg-host svg', (svg) => {
    const ticks = [...svg.querySelectorAll('text')].filter((t) => t.textContent === '100B' || t.textContent === '1T')
      .map((t) => { const r = t.getBoundingClientRect(); return { x: r.x + r.width / 2, y: r.y, text: t.textContent }; })
      .sort((a, b) => b.y - a.y);
    const [a, b] = [ticks.find((t) => t.text === '100B'), ticks.find((t) => t.text === '1T')];
    const r = svg.getBoundingClientRect();
    return { x: a.x + (b.x - a.x) * Math.log10(2.8), y: r.top + r.height * 0.5 };
  });
  await page.touchscreen.tap(at.x, at.y);
  await page.locator('[data-testid=readout-chinchilla]', { hasText: 'Gopher: 280B on 300B tokens' }).waitFor({ timeout: 3000 });
  // The iso-FLOP chart names the pair with their predicted losses; Chinchilla's is the lower.
  const iso = await page.$eval('#chart-isoflop .svg-host svg', (s) => s.textContent);
  const chin = Number(/Chinchilla (\d\.\d{3})/.exec(iso)?.[1]);
  const gopher = Number(/Gopher (\d\.\d{3})/.exec(iso)?.[1]);
  assert.ok(chin < gopher, `Chinchilla ${chin}, Gopher ${gopher} in "${iso}"`);
  assert.match(await page.textContent('#chart-isoflop-summary'), /Chinchilla beat Gopher/);
  assert.deepEqual(problems(), []);
  await ctx.close();
});

test('a charts-only embed is shorter, keeps its sentence for screen readers, and the builder offers it', async () => {
  const heights = {};
  for (const q of ['', '&chart_only=1']) {
    const { page, problems } = await watchedPage(env.browser, { width: 390, height: 844 });
    await page.goto(`${env.origin}/?view=memory&controls=ctx&embed=1${q}`);
    await ready(page);
    await page.waitForSelector('#chart-memory .svg-host svg');
    heights[q] = await page.evaluate(() => document.body.getBoundingClientRect().height);
    if (q) {
      const summary = await page.$eval('#chart-memory-summary', (e) => ({ text: e.textContent, cls: e.className, w: e.getBoundingClientRect().width }));
      assert.match(summary.text, /^At [\d,]+ tokens/, 'the sentence is in the page');
      assert.match(summary.cls, /sr-only/);
      assert.ok(summary.w <= 1, 'and not on screen');
      assert.equal(await page.$('#chart-memory .data-table'), null);
      assert.equal(await page.$('#chart-memory .lede'), null);
      assert.ok(await page.$('[data-testid=share-memory]'), 'sharing stays');
    }
    assert.deepEqual(problems(), []);
    await page.close();
  }
  assert.ok(heights['&chart_only=1'] < heights[''] - 100, JSON.stringify(heights));
  // The builder: a tick adds chart_only=1 to the snippet (once measured).
  const { page, problems } = await watchedPage(env.browser, { width: 1280, height: 900 });
  await page.goto(`${env.origin}/#embed`);
  await ready(page);
  await page.waitForSelector('#embed-chart-only');
  await page.check('#embed-chart-only');
  await page.waitForFunction(() => /chart_only=1/.test(document.getElementById('embed-snippet').value), null, { timeout: 15000 });
  assert.deepEqual(problems(), []);
  await page.close();
});

test('in an embed the keyboard reaches a chart\'s buttons before the controls under it', async () => {
  for (const width of [390, 1280]) {
    const { page, problems } = await watchedPage(env.browser, { width, height: 900 });
    await page.goto(`${env.origin}/?view=memory&controls=ctx,gpu&embed=1`);
    await ready(page);
    await page.waitForSelector('#ctx');
    const order = await page.evaluate(() => {
      const share = document.querySelector('[data-testid=share-memory]');
      const slider = document.querySelector('#ctx');
      return {
        domFirst: Boolean(share.compareDocumentPosition(slider) & Node.DOCUMENT_POSITION_FOLLOWING),
        shareTop: share.getBoundingClientRect().top,
        sliderTop: slider.getBoundingClientRect().top,
      };
    });
    assert.ok(order.domFirst, `${width}px: the share button comes before the slider in the page`);
    assert.ok(order.shareTop < order.sliderTop, `${width}px: and above it on screen (${JSON.stringify(order)})`);
    // Tab from the share button reaches the chart's exports, then the controls.
    await page.focus('[data-testid=share-memory]');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.textContent.trim()), 'SVG');
    assert.deepEqual(problems(), []);
    await page.close();
  }
});

test('five embeds from the builder load into an article without moving it, on a slow network (CLS ≤ 0.05)', async () => {
  // Five of the builder's ready embeds, each snippet as the builder writes it once measured.
  const { page: builder } = await watchedPage(env.browser, { width: 1280, height: 900 });
  await builder.goto(`${env.origin}/#embed`);
  await ready(builder);
  const claims = (await builder.$$eval('.ready-embeds li a', (a) => a.map((x) => x.href))).slice(0, 5);
  assert.equal(claims.length, 5);
  const snippets = [];
  for (const href of claims) {
    await builder.goto(href);
    await ready(builder);
    await builder.waitForFunction(() => /<iframe /.test(document.getElementById('embed-snippet')?.value ?? ''), null, { timeout: 20000 });
    snippets.push(await builder.inputValue('#embed-snippet'));
  }
  await builder.close();
  const paragraph = '<p>Weights are the learned numbers; activations are computed from the text. '.repeat(3) + '</p>';
  const article = `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Weights vs activations</title><script src="/embed.js" defer></script></head>
    <body style="font:17px/1.5 Georgia,serif;margin:0 16px"><h1>Weights vs activations</h1>${paragraph}
    ${snippets.map((s) => s.replace(/<script[^>]*><\/script>/g, '') + paragraph).join('\n')}</body></html>`;
  const host = await serve({ prefix: '/nothing/', extra: { '/': article, '/embed.js': readFileSync(join(DIST, 'static', 'embed.js'), 'utf8') } });
  for (const [width, height] of [[390, 844], [1280, 900]]) {
    const context = await env.browser.newContext({ viewport: { width, height } });
    // A slow line to the app: every file 150 ms late, the module 2.5 s.
    await context.route((url) => url.href.startsWith(env.origin), async (route) => {
      await new Promise((ok) => setTimeout(ok, route.request().url().endsWith('.wasm') ? 2500 : 150));
      await route.continue();
    });
    await context.addInitScript(() => {
      window.__shifts = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shifts.push(e.value);
      }).observe({ type: 'layout-shift', buffered: true });
    });
    const page = await context.newPage();
    await page.goto(host.origin + '/');
    // Loading, then the reader scrolls down past each embed.
    await page.waitForTimeout(5000);
    const frames = await page.$$('iframe');
    assert.equal(frames.length, 5);
    for (const f of frames) {
      await f.evaluate((el) => el.scrollIntoView({ block: 'center' }));
      await page.waitForTimeout(3500);
    }
    const shifts = await page.evaluate(() => window.__shifts);
    const cls = shifts.reduce((a, b) => a + b, 0);
    const heights = await page.$$eval('iframe', (fs) => fs.map((f) => `${f.getAttribute('height')} → ${Math.round(f.getBoundingClientRect().height)}`));
    console.log(`${width}px: the article's layout shift ${cls.toFixed(4)} (${shifts.length} shifts); frames (snippet → shown): ${heights.join(', ')} px`);
    assert.ok(cls <= 0.05, `${width}px: the article moved, layout shift ${cls.toFixed(3)} (${shifts.map((s) => s.toFixed(3)).join(', ')})`);
    // Inside each embed too.
    for (const frame of page.frames().filter((fr) => fr !== page.mainFrame())) {
      await frame.waitForSelector('#app > .app:not(.prerender) figure.chart .svg-host svg', { timeout: 20000 });
      const inner = (await frame.evaluate(() => window.__shifts)).reduce((a, b) => a + b, 0);
      console.log(`${width}px: inside ${new URL(frame.url()).search.slice(0, 60)}… ${inner.toFixed(4)}`);
      assert.ok(inner <= 0.05, `${width}px: ${frame.url()} moved inside, layout shift ${inner.toFixed(3)}`);
    }
    await context.close();
  }
  await host.close();
});

test('an embed on a phone held sideways shows its chart, read-out and slider in one screen', async () => {
  for (const path of ['/?view=memory&controls=ctx&embed=1', '/?v=2&model=llama-3.1-8b&gpu=rtx-4090-24gb&view=memory&controls=ctx,gpu&embed=1']) {
    const ctx = await env.browser.newContext({ viewport: { width: 844, height: 390 }, hasTouch: true, isMobile: true });
    const page = await ctx.newPage();
    await page.goto(env.origin + path);
    await ready(page);
    // A tap on the chart: the read-out says the value there, in view.
    const box = await page.$eval('#chart-memory .svg-host svg', (s) => { const r = s.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height }; });
    await page.touchscreen.tap(box.x + box.w * 0.6, box.y + box.h * 0.5);
    await page.waitForFunction(() => /At [\d,]+ tokens/.test(document.querySelector('[data-testid="readout-memory"]').textContent));
    const boxes = await page.evaluate(() => Object.fromEntries(
      [['chart', '#chart-memory .svg-host svg'], ['readout', '[data-testid="readout-memory"]'], ['slider', 'input#ctx']].map(([k, sel]) => {
        const r = document.querySelector(sel).getBoundingClientRect();
        return [k, { top: Math.round(r.top), bottom: Math.round(r.bottom), left: Math.round(r.left), right: Math.round(r.right) }];
      })));
    for (const [k, b] of Object.entries(boxes)) {
      assert.ok(b.top >= 0 && b.bottom <= 390 && b.right <= 844, `${path}: the ${k} is in view (${JSON.stringify(b)})`);
    }
    assert.ok(boxes.slider.left > boxes.chart.right, `${path}: the slider beside the chart`);
    await ctx.close();
  }
});
