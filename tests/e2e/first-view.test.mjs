// The first view (issue 15): a bare URL shows the memory chart and its sentence in the first
// paint, from the prerendered dist/index.html, before the module has even arrived; a link that
// carries state never flashes that default: it shows its loading line, then its own chart,
// drawn alone by the app's first render; the mounted app replaces the bare URL's first view
// with the same numbers.
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

/** Records, in every frame until the app has mounted, what a reader sees of the memory chart:
 * its summary and whether it is the first view (drawn before the app mounts) — the frames
 * that paint. Also whether the build-time default view was visible, and the tab's title. */
const recordFrames = () => {
  window.__frames = [];
  const shown = (el) => {
    if (!el) return false;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return false;
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      const cs = getComputedStyle(e);
      if (cs.display === 'none' || cs.visibility === 'hidden' || Number(cs.opacity) === 0) return false;
    }
    return true;
  };
  const frame = () => {
    // The drawing shown (the build-time view has a wide and a narrow one; CSS shows one).
    const all = [...document.querySelectorAll('#chart-memory .svg-host svg')];
    const svg = all.find(shown) ?? all[0];
    window.__frames.push({
      chart: shown(svg),
      top: svg ? Math.round(svg.getBoundingClientRect().top + scrollY) : null,
      firstView: !!svg?.closest('#prerender'),
      summary: document.querySelector('#chart-memory .summary')?.textContent ?? '',
      title: document.title,
      toolbar: document.querySelector('.toolbar')?.innerText ?? null,
      toolbarBox: (() => {
        const r = document.querySelector('.toolbar')?.getBoundingClientRect();
        return r ? [r.top, r.left, r.width, r.height].map(Math.round).join(' ') : null;
      })(),
      loading: shown(document.querySelector('.pre-state')),
      mounted: !!document.querySelector('#app > .app:not(.prerender)'),
    });
    if (!window.__frames.at(-1).mounted) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
};

test("a link's first chart is its own, drawn by the app's first render, and never the default view", async () => {
  const links = [
    // A shared scenario, in the page's layout.
    ['?model=deepseek-v3&gpus=8&gpu=h200-141gb&ctx=32k', 1280, /DeepSeek-V3/],
    // An embed of the memory chart with one control, on a phone.
    ['?model=deepseek-v3&view=memory&controls=ctx&embed=1', 375, /DeepSeek-V3/],
  ];
  for (const [q, width, title] of links) {
    const { page, problems } = await watchedPage(env.browser, { width, height: 900 });
    await page.addInitScript(recordFrames);
    await page.goto(`${env.origin}/${q}`);
    await ready(page);
    const final = await page.textContent('#chart-memory .summary');
    const frames = await page.evaluate(() => window.__frames);
    const charts = frames.filter((f) => f.chart);
    assert.ok(charts.length > 0, `${q}: a frame shows the chart`);
    // The loading line until then; the first frame that shows a chart shows this link's.
    assert.ok(frames.slice(0, frames.indexOf(charts[0])).every((f) => !f.chart), `${q}: no chart before`);
    assert.equal(charts[0].mounted, true, `${q}: the first chart is the app's`);
    assert.equal(charts[0].summary, final, `${q}: the sentence it keeps`);
    assert.match(charts[0].title, title, `${q}: the tab names the link's model`);
    assert.doesNotMatch(final, /122,533/, `${q}: not the default's numbers`);
    for (const f of frames) assert.doesNotMatch(f.summary && f.chart ? f.summary : '', /122,533/, `${q}: no frame shows the default`);
    assert.deepEqual(problems(), []);
    await page.close();
  }
});

test('the first view puts the chart where the app will: it does not jump when the app mounts', async () => {
  // The toolbar (inert until the app mounts), the key numbers and the question under them are
  // in the first view, as in the app: in one column the toolbar sits above the cards, and
  // without it the chart moved 82 px at 375 px.
  for (const [q, width, most] of [
    ['', 1280, 0],
    ['?model=deepseek-v3&gpus=8&gpu=h200-141gb&ctx=32k', 1280, 0],
    ['', 375, 0],
    ['?model=deepseek-v3&gpus=8&gpu=h200-141gb&ctx=32k&units=gb', 375, 0],
  ]) {
    const { page } = await watchedPage(env.browser, { width, height: 800 });
    await page.addInitScript(recordFrames);
    await page.goto(`${env.origin}/${q}`);
    await ready(page);
    // The first chart painted: the build-time first view of a bare URL, the app's first
    // render of a link (its settings and other charts follow).
    const first = (await page.evaluate(() => window.__frames)).find((f) => f.chart);
    assert.ok(first, `${q} at ${width}px: a chart was painted`);
    assert.equal(first.firstView, q === '', `${q} at ${width}px: the first view is the build-time one only for a bare URL`);
    const mounted = await page.$eval('#chart-memory .svg-host svg', (e) => Math.round(e.getBoundingClientRect().top + scrollY));
    const moved = mounted - first.top;
    assert.ok(moved >= 0 && moved <= most, `${q} at ${width}px: the chart moved ${moved}px (${first.top} → ${mounted})`);
    // The first view's toolbar reads and sits as the app's does, but does nothing yet.
    const bar = await page.evaluate(() => {
      const el = document.querySelector('.toolbar');
      const r = el.getBoundingClientRect();
      return { text: el.innerText, box: [r.top, r.left, r.width, r.height].map(Math.round).join(' '), inert: el.inert };
    });
    assert.equal(first.toolbar, bar.text, `${q} at ${width}px: the same toolbar`);
    assert.equal(first.toolbarBox, bar.box, `${q} at ${width}px: in the same place`);
    assert.equal(bar.inert, false, `${q} at ${width}px: the app's toolbar works`);
    await page.close();
  }
});

test('a training link waits for the app with its loading line', async () => {
  // Training leads with the breakdown chart, which only the app draws.
  const { page, problems } = await watchedPage(env.browser);
  await page.addInitScript(recordFrames);
  await page.goto(`${env.origin}/?mode=train&model=qwen2.5-7b`);
  await ready(page);
  const frames = await page.evaluate(() => window.__frames);
  assert.ok(frames.length > 0);
  assert.equal(frames.filter((f) => f.chart && !f.mounted).length, 0, 'no chart before the app mounts');
  assert.ok(frames.some((f) => f.loading), 'the loading line meanwhile');
  assert.deepEqual(problems(), []);
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
