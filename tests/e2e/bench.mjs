// `make bench`: the browser benchmark. Prints numbers; asserts nothing about time.
//  1. transfer size of wasm + js + css + html: raw, gzip -9, brotli (q 11)
//  1b. first chart visible, bare URL, a link with state and an embed, at CPU 1× and 4×, as ratios to a
//      1 KB vanilla floor page served in the same run
//  2. 10 cold loads: navigation start → first chart in the DOM (median, p95)
//  3. 50 context-slider moves: input event → chart updated in the DOM, and → next paint
//  4. memory: wasm linear memory and JS heap before and after 1,000 slider moves
import { launch, serve } from './lib.mjs';
import { transferSizes } from './transfer.mjs';

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * (s.length - 1) + 0.5))];
};
const ms = (x) => `${x.toFixed(2)} ms`;

const { rows, total } = transferSizes();
console.log('1. Transfer size (what a first visit downloads; the icon is inline)');
for (const r of rows) {
  console.log(`   ${r.file.padEnd(26)} ${String(r.raw).padStart(8)} raw ${String(r.gzip).padStart(8)} gzip ${String(r.brotli).padStart(8)} brotli`);
}
console.log(`   ${'total'.padEnd(26)} ${String(total.raw).padStart(8)} raw ${String(total.gzip).padStart(8)} gzip ${String(total.brotli).padStart(8)} brotli  (${(total.gzip / 1024).toFixed(1)} KiB gzip)`);

// The floor: about 1 KB of static HTML with one inline SVG chart and one range input that
// moves its marker, in vanilla JS — the fastest a chart page can be on this machine and browser.
// Served by the same server in the same run; every time below is also printed as a ratio to it.
const FLOOR = `<!doctype html><html><head><meta charset="utf-8"><title>floor</title></head><body>
<svg id="chart" width="640" height="300" viewBox="0 0 640 300"><rect width="640" height="300" fill="#f6f7f9"/>
<path d="M40 260H620M40 20V260" stroke="#222"/><path d="M40 240C200 236 400 200 620 40" stroke="#0072b2" stroke-width="2" fill="none"/>
<line id="marker" x1="300" x2="300" y1="20" y2="260" stroke="#464650" stroke-width="2"/><text x="40" y="290">context</text></svg>
<input id="range" type="range" min="0" max="580" value="260">
<script>const m=document.getElementById('marker');document.getElementById('range').addEventListener('input',e=>{const x=40+Number(e.target.value);m.setAttribute('x1',x);m.setAttribute('x2',x);});</script>
</body></html>`;
const srv = await serve({ extra: { '/floor.html': FLOOR } });
const browser = await launch();

/** Records, in the page, the first animation frame in which `selector` is visible (laid out with
 *  a size, not hidden by visibility, display or opacity): the frame that paints it. */
const visibleInitScript = (selector) => {
  const check = () => {
    const el = document.querySelector(selector);
    if (el) {
      const r = el.getBoundingClientRect();
      let shown = r.width > 0 && r.height > 0;
      for (let e = el; shown && e && e.nodeType === 1; e = e.parentElement) {
        const cs = getComputedStyle(e);
        if (cs.visibility === 'hidden' || cs.display === 'none' || Number(cs.opacity) === 0) shown = false;
      }
      if (shown) {
        // performance.now() in the first frame callback that sees it (headless Chromium's
        // rAF timestamp can precede the DOM change it paints, so it is not used).
        window.__visible = performance.now();
        return;
      }
    }
    requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
};

/** Median and p95 of the first-visible frame over `runs` cold loads of `url` (a fresh context
 *  each), with the CPU slowed `throttle` times (CDP Emulation.setCPUThrottlingRate). `warm`:
 *  second visits instead — one context that has loaded the page once, so its HTTP cache
 *  revalidates (ETag → 304) and Chromium's compiled-code cache of the streamed module is warm:
 *  what a reader sees for the second embed in one article. */
const firstVisible = async (url, selector, throttle, runs = 8, warm = false) => {
  const times = [];
  const shared = warm ? await browser.newContext({ viewport: { width: 1280, height: 900 } }) : null;
  if (shared) {
    const first = await shared.newPage();
    await first.goto(url);
    await first.waitForSelector(selector);
    await first.waitForTimeout(500); // the code cache is written after the first run
    await first.close();
  }
  for (let i = 0; i < runs; i++) {
    const c = shared || (await browser.newContext({ viewport: { width: 1280, height: 900 } }));
    const p = await c.newPage();
    if (throttle > 1) {
      const session = await c.newCDPSession(p);
      await session.send('Emulation.setCPUThrottlingRate', { rate: throttle });
    }
    await p.addInitScript(visibleInitScript, selector);
    await p.goto(url);
    await p.waitForFunction(() => window.__visible, null, { timeout: 30000 });
    times.push(await p.evaluate(() => window.__visible));
    if (shared) await p.close();
    else await c.close();
  }
  await shared?.close();
  return { median: quantile(times, 0.5), p95: quantile(times, 0.95) };
};

console.log('\n1b. First chart visible (the frame that first paints it), as a ratio to the floor page (8 cold loads each)');
for (const throttle of [1, 4]) {
  const floor = await firstVisible(srv.origin + '/floor.html', '#chart', throttle);
  const bare = await firstVisible(srv.origin + '/', '#chart-memory .svg-host svg', throttle);
  const linkUrl = srv.origin + '/?model=deepseek-v3&gpus=8&gpu=h200-141gb&ctx=32k';
  const link = await firstVisible(linkUrl, '#chart-memory .svg-host svg', throttle);
  const second = await firstVisible(linkUrl, '#chart-memory .svg-host svg', throttle, 8, true);
  const embed = await firstVisible(srv.origin + '/?model=deepseek-v3&view=memory&controls=ctx&embed=1', '#chart-memory .svg-host svg', throttle);
  const x = (a) => `${ms(a.median)} (${(a.median / floor.median).toFixed(2)}× the floor), p95 ${ms(a.p95)}`;
  console.log(`   CPU ${throttle}×: floor ${ms(floor.median)}, p95 ${ms(floor.p95)}`);
  console.log(`   CPU ${throttle}×: bare URL        ${x(bare)}`);
  console.log(`   CPU ${throttle}×: link with state ${x(link)}`);
  console.log(`   CPU ${throttle}×: … second visit  ${x(second)}`);
  console.log(`   CPU ${throttle}×: one-chart embed ${x(embed)}`);
}

console.log('\n2. Cold loads: navigation start → first chart in the DOM, and → painted (10 runs, fresh context each)');
const loads = [], painted = [], fetched = [], started = [];
for (let i = 0; i < 10; i++) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  // Timestamps are taken in the page (performance.now() counts from navigation start).
  await page.addInitScript(() => {
    const obs = new MutationObserver(() => {
      if (!window.__firstChart && document.querySelector('#chart-memory .svg-host svg')) {
        window.__firstChart = performance.now();
        obs.disconnect();
        requestAnimationFrame(() => setTimeout(() => (window.__firstPaint = performance.now()), 0));
      }
    });
    obs.observe(document, { childList: true, subtree: true });
  });
  await page.goto(srv.origin + '/');
  await page.waitForFunction(() => window.__firstPaint);
  const t = await page.evaluate(() => [
    window.__firstChart,
    window.__firstPaint,
    performance.getEntriesByType('resource').find((e) => e.name.endsWith('.wasm'))?.responseEnd ?? NaN,
    performance.getEntriesByName('llm-memviz:start')[0]?.startTime ?? NaN,
  ]);
  loads.push(t[0]);
  painted.push(t[1]);
  fetched.push(t[2]);
  started.push(t[3]);
  await ctx.close();
}
console.log(`   (module fetched: median ${ms(quantile(fetched, 0.5))}; compiled and the app's code starts: median ${ms(quantile(started, 0.5))})`);
console.log(`   in the DOM: median ${ms(quantile(loads, 0.5))}, p95 ${ms(quantile(loads, 0.95))}`);
console.log(`   painted:    median ${ms(quantile(painted, 0.5))}, p95 ${ms(quantile(painted, 0.95))}`);

const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
const page = await ctx.newPage();
const cdp = await ctx.newCDPSession(page);
await page.goto(srv.origin + '/');
await page.waitForSelector('#chart-memory .svg-host svg');
await page.waitForTimeout(300);

/** Moves the context slider to `pos` and times the DOM update and the next paint. */
const moveOn = (page, pos) =>
  page.evaluate(
    (pos) =>
      new Promise((done) => {
        const host = document.querySelector('#chart-memory .chart-canvas');
        const input = document.getElementById('ctx');
        let dom = null;
        const obs = new MutationObserver(() => {
          if (dom === null) {
            dom = performance.now() - t0;
            obs.disconnect();
            requestAnimationFrame(() => setTimeout(() => done({ dom, paint: performance.now() - t0 }), 0));
          }
        });
        obs.observe(host, { childList: true, subtree: true, characterData: true });
        const t0 = performance.now();
        input.value = String(pos);
        input.dispatchEvent(new Event('input', { bubbles: true }));
        setTimeout(() => {
          if (dom === null) {
            obs.disconnect();
            done({ dom: NaN, paint: NaN });
          }
        }, 1000);
      }),
    pos,
  );
const move = (pos) => moveOn(page, pos);

/** 50 moves over the slider's middle and upper range on `page`. */
const slider = async (page) => {
  const doms = [], paints = [];
  for (let i = 0; i < 50; i++) {
    const r = await moveOn(page, 120 + ((i * 7) % 300));
    if (Number.isFinite(r.dom)) { doms.push(r.dom); paints.push(r.paint); }
  }
  return { doms, paints };
};
console.log('\n3. Context slider: input event → memory chart (its context marker) updated in the DOM, and → next paint (50 moves)');
{
  const { doms, paints } = await slider(page);
  console.log(`   DOM updated: median ${ms(quantile(doms, 0.5))}, p95 ${ms(quantile(doms, 0.95))} (${doms.length} moves changed the chart)`);
  console.log(`   next paint:  median ${ms(quantile(paints, 0.5))}, p95 ${ms(quantile(paints, 0.95))}`);
  // The floor: the same moves on an embed that shows one chart and one slider (no other chart,
  // panel or text to update) — what yew, the DOM and this machine cost before any of the page.
  const bare = await ctx.newPage();
  await bare.goto(srv.origin + '/?view=memory&controls=ctx&embed=1');
  await bare.waitForSelector('#chart-memory .svg-host svg');
  await bare.waitForTimeout(300);
  const floor = await slider(bare);
  console.log(`   one-chart embed (one chart, one slider): DOM updated median ${ms(quantile(floor.doms, 0.5))}, p95 ${ms(quantile(floor.doms, 0.95))}`);
  await bare.close();
  // The vanilla floor page: the same moves on its range input and inline SVG.
  const vanilla = await ctx.newPage();
  await vanilla.goto(srv.origin + '/floor.html');
  const vdoms = [];
  for (let i = 0; i < 50; i++) {
    vdoms.push(
      await vanilla.evaluate(
        (pos) =>
          new Promise((done) => {
            const marker = document.getElementById('marker');
            const input = document.getElementById('range');
            const obs = new MutationObserver(() => {
              obs.disconnect();
              done(performance.now() - t0);
            });
            obs.observe(marker, { attributes: true });
            const t0 = performance.now();
            input.value = String(pos);
            input.dispatchEvent(new Event('input', { bubbles: true }));
          }),
        20 + ((i * 7) % 500),
      ),
    );
  }
  const fm = quantile(vdoms, 0.5), fp = quantile(vdoms, 0.95);
  console.log(`   floor page (vanilla JS): DOM updated median ${ms(fm)}, p95 ${ms(fp)}`);
  console.log(`   ratios to the floor: full page median ${(quantile(doms, 0.5) / fm).toFixed(1)}×, p95 ${(quantile(doms, 0.95) / fp).toFixed(1)}×; one-chart embed median ${(quantile(floor.doms, 0.5) / fm).toFixed(1)}×, p95 ${(quantile(floor.doms, 0.95) / fp).toFixed(1)}×`);
  await vanilla.close();
}

console.log('\n4. Memory across 1,000 slider moves (after a forced garbage collection)');
const measure = async () => {
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = await cdp.send('Runtime.getHeapUsage');
  const wasm = await page.evaluate(() => (window.__llmMemvizMemory ? window.__llmMemvizMemory.buffer.byteLength : NaN));
  return { js: heap.usedSize, wasm };
};
const m0 = await measure();
for (let i = 0; i < 1000; i++) await move(100 + ((i * 13) % 350));
await page.waitForTimeout(500);
const m1 = await measure();
const mib = (b) => `${(b / 1048576).toFixed(2)} MiB`;
console.log(`   JS heap: ${mib(m0.js)} → ${mib(m1.js)} (${m1.js >= m0.js ? '+' : ''}${mib(m1.js - m0.js)})`);
console.log(`   wasm memory: ${mib(m0.wasm)} → ${mib(m1.wasm)} (${m1.wasm >= m0.wasm ? '+' : ''}${mib(m1.wasm - m0.wasm)})`);

await browser.close();
await srv.close();
