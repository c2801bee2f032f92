// `make bench`: this build against a reference build, measured side by side in one run and
// interleaved (reference, this, reference, this …), so the noise of this machine falls on both.
// Prints numbers for both and their ratios; asserts nothing about time.
//   BENCH_REF=<commit> (default below): the reference, built by scripts/build-ref.sh.
//   BENCH_LOADS (default 8), BENCH_MOVES (default 40): cold loads and slider moves per build.
//   BENCH_ONLY=page|embed, BENCH_RATES=1,4 (default both): a part of the run, while working.
// Measured, for the full page and a one-chart embed, at CPU 1× and 4× (CDP throttling):
//   first picture  the first frame that paints the memory chart (the prerendered first view);
//   live chart     the first frame that paints the app's own chart (the one that answers);
//   slider ready   the first frame with the app's context slider on the page;
//   input → DOM    a context-slider or model-size-slider move until the page has changed it.
// Also: each build's transfer (gzip), and this build's memory over 1,000 slider moves.
import { execFileSync } from 'node:child_process';
import { launch, serve, ROOT } from './lib.mjs';
import { transferSizes } from './transfer.mjs';

// The build of 2026-12-01, which the lead was measured against (issue 28), until the commit that
// closes it replaces it.
const REF = process.env.BENCH_REF || 'd37811d';
const LOADS = Number(process.env.BENCH_LOADS || 8);
const MOVES = Number(process.env.BENCH_MOVES || 40);

const quantile = (xs, q) => {
  const s = [...xs].filter(Number.isFinite).sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * (s.length - 1) + 0.5))] : NaN;
};
const ms = (x) => `${x.toFixed(1)} ms`;

console.log(`Reference: ${REF} (scripts/build-ref.sh; built once, then reused)`);
const refDist = execFileSync(`${ROOT}/scripts/build-ref.sh`, [REF], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim().split('\n').pop();
const builds = [
  { name: 'reference', srv: await serve({ root: refDist }), dist: refDist },
  { name: 'this build', srv: await serve() },
];

console.log('\n1. Transfer of a first visit (gzip -9)');
for (const b of builds) {
  const { total } = transferSizes(b.dist);
  b.gzip = total.gzip;
  console.log(`   ${b.name.padEnd(11)} ${String(total.gzip).padStart(8)} B gzip, ${String(total.raw).padStart(8)} B raw`);
}
console.log(`   ratio this/reference: ${(builds[1].gzip / builds[0].gzip).toFixed(3)}`);

const browser = await launch();

/** Records, in the page, the first animation frame in which each selector is visible (laid out
 *  with a size, not hidden): `window.__at[name]`, in performance.now() milliseconds. */
const frames = (watch) => {
  window.__at = {};
  const shown = (el) => {
    const r = el.getBoundingClientRect();
    if (!(r.width > 0 && r.height > 0)) return false;
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      const cs = getComputedStyle(e);
      if (cs.visibility === 'hidden' || cs.display === 'none' || Number(cs.opacity) === 0) return false;
    }
    return true;
  };
  const check = () => {
    for (const [name, sel] of Object.entries(watch)) {
      if (window.__at[name] === undefined) {
        const el = document.querySelector(sel);
        if (el && shown(el)) window.__at[name] = performance.now();
      }
    }
    if (Object.keys(watch).some((n) => window.__at[n] === undefined)) requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
};
const WATCH = {
  picture: '#chart-memory .svg-host svg',
  live: '#app > .app:not(.prerender) #chart-memory .svg-host svg',
  slider: '#app > .app:not(.prerender) input#ctx',
};

async function throttled(ctx, page, rate) {
  if (rate > 1) await (await ctx.newCDPSession(page)).send('Emulation.setCPUThrottlingRate', { rate });
}

/** One cold load: a fresh context, the three frames. */
async function load(b, path, rate) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  await throttled(ctx, page, rate);
  await page.addInitScript(frames, WATCH);
  await page.goto(b.srv.origin + path);
  await page.waitForFunction((n) => Object.keys(window.__at).length === n, Object.keys(WATCH).length, { timeout: 60000 });
  const at = await page.evaluate(() => window.__at);
  await ctx.close();
  return at;
}

/** Moves the slider `id` to `pos` and times it until the page's DOM has changed. */
const move = (page, id, pos) =>
  page.evaluate(
    ([id, pos]) =>
      new Promise((done) => {
        const input = document.getElementById(id);
        let settled = false;
        const obs = new MutationObserver(() => {
          if (settled) return;
          settled = true;
          obs.disconnect();
          done(performance.now() - t0);
        });
        obs.observe(document.getElementById('app'), { childList: true, subtree: true, characterData: true, attributes: true });
        const t0 = performance.now();
        input.value = String(pos);
        input.dispatchEvent(new Event('input', { bubbles: true }));
        setTimeout(() => {
          if (!settled) {
            settled = true;
            obs.disconnect();
            done(NaN);
          }
        }, 2000);
      }),
    [id, pos],
  );

const TARGETS = [
  { name: 'full page', only: 'page', path: '/', sliders: ['ctx', 'params'] },
  { name: 'one-chart embed', only: 'embed', path: '/?view=memory&controls=ctx&embed=1', sliders: ['ctx'] },
].filter((t) => !process.env.BENCH_ONLY || t.only === process.env.BENCH_ONLY);
const RATES = (process.env.BENCH_RATES || '1,4').split(',').map(Number);

const rows = [];
for (const rate of RATES) {
  for (const t of TARGETS) {
    // Cold loads, interleaved.
    const at = builds.map(() => ({ picture: [], live: [], slider: [] }));
    for (let i = 0; i < LOADS; i++) {
      for (const [k, b] of builds.entries()) {
        const got = await load(b, t.path, rate);
        for (const m of Object.keys(WATCH)) at[k][m].push(got[m]);
      }
    }
    for (const m of Object.keys(WATCH)) {
      rows.push({ rate, target: t.name, metric: { picture: 'first picture', live: 'live chart', slider: 'slider ready' }[m], values: at.map((a) => a[m]) });
    }
    // Slider moves: one warm page per build, blocks of ten moves interleaved.
    for (const id of t.sliders) {
      const pages = [];
      for (const b of builds) {
        const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
        const page = await ctx.newPage();
        await throttled(ctx, page, rate);
        await page.goto(b.srv.origin + t.path);
        await page.waitForSelector(`#app > .app:not(.prerender) input#${id}`, { timeout: 60000 });
        await page.waitForTimeout(500);
        pages.push({ ctx, page, times: [] });
      }
      for (let i = 0; i < MOVES; i += 10) {
        for (const p of pages) {
          for (let j = i; j < i + 10; j++) p.times.push(await move(p.page, id, 120 + ((j * 7) % 300)));
        }
      }
      rows.push({ rate, target: t.name, metric: `input → DOM (#${id})`, values: pages.map((p) => p.times) });
      for (const p of pages) await p.ctx.close();
    }
  }
}

console.log(`\n2. Times, median (p95) per build, and this build / the reference (${LOADS} cold loads, ${MOVES} moves each)`);
console.log(`   ${'CPU'.padEnd(4)} ${'view'.padEnd(16)} ${'measure'.padEnd(24)} ${'reference'.padStart(22)} ${'this build'.padStart(22)}   ratio median (p95)`);
for (const r of rows) {
  const [a, b] = r.values;
  const cell = (v) => `${ms(quantile(v, 0.5))} (${ms(quantile(v, 0.95))})`;
  const ratio = (q) => (quantile(b, q) / quantile(a, q)).toFixed(2);
  console.log(`   ${(r.rate + '×').padEnd(4)} ${r.target.padEnd(16)} ${r.metric.padEnd(24)} ${cell(a).padStart(22)} ${cell(b).padStart(22)}   ${ratio(0.5)}× (${ratio(0.95)}×)`);
}

console.log('\n3. Memory of this build across 1,000 context-slider moves (after a forced garbage collection)');
{
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  await page.goto(builds[1].srv.origin + '/');
  await page.waitForSelector('#app > .app:not(.prerender) input#ctx');
  const measure = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = await cdp.send('Runtime.getHeapUsage');
    const wasm = await page.evaluate(() => (window.__llmMemvizMemory ? window.__llmMemvizMemory.buffer.byteLength : NaN));
    return { js: heap.usedSize, wasm };
  };
  const m0 = await measure();
  for (let i = 0; i < 1000; i++) await move(page, 'ctx', 100 + ((i * 13) % 350));
  await page.waitForTimeout(500);
  const m1 = await measure();
  const mib = (b) => `${(b / 1048576).toFixed(2)} MiB`;
  console.log(`   JS heap: ${mib(m0.js)} → ${mib(m1.js)}; wasm memory: ${mib(m0.wasm)} → ${mib(m1.wasm)}`);
  await ctx.close();
}

await browser.close();
for (const b of builds) await b.srv.close();
