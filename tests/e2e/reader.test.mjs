// The reader's experience, tested where a person looks: the hover read-out under the pointer
// (every chart, three widths), a tap on a phone, one rounding rule, charts redrawn for the
// width they are shown at (resize, rotation, no redraw per pixel of a drag), the article's
// words and plain explanations of jargon, sentences that never mislead (beyond the model's
// limit; what would fit), a phone flow (typed suffixes, controls under their chart), and
// training mode leading with training.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { watchedPage, ready, shot, serve, useBrowserAndServer } from './lib.mjs';

const env = useBrowserAndServer();

/** Leaves a page for the next URL only once its lazy requests (the favicon) are done, so a
 *  navigation never aborts one (which the watched page would report as a failed request). */
async function next(page, url) {
  await page.waitForLoadState('networkidle');
  await page.goto(url);
  await ready(page);
}

/** Every window error (the ResizeObserver loop message among them) is recorded in the page. */
async function recordWindowErrors(page) {
  await page.addInitScript(() => {
    window.__errors = [];
    window.addEventListener('error', (e) => window.__errors.push(String(e.message)));
  });
}

const CONTEXT = /^(\d+)(k|M)?$/;
const COUNT = /^(\d+(?:\.\d+)?)(k|M|B|T)?$/;
const parseContext = (t) => {
  const m = CONTEXT.exec(t);
  return m ? Number(m[1]) * ({ k: 1024, M: 1048576 }[m[2]] ?? 1) : NaN;
};
const parseCount = (t) => {
  const m = COUNT.exec(t.replace(/,/g, ''));
  return m ? Number(m[1]) * ({ k: 1e3, M: 1e6, B: 1e9, T: 1e12 }[m[2]] ?? 1) : NaN;
};

// What each chart's x tick labels and read-out say, as numbers.
const CHARTS = {
  memory: { tick: parseContext, read: (t) => parseCount(/^At ([\d,]+) tokens?/.exec(t)?.[1] ?? '') },
  speed: { tick: parseContext, read: (t) => parseCount(/^At ([\d,]+) tokens?/.exec(t)?.[1] ?? '') },
  // Sequences are whole: the read-out rounds the pointer's value to one.
  serving: { tick: parseCount, read: (t) => parseCount(/^([\d,]+) at once/.exec(t)?.[1] ?? ''), whole: true },
  chinchilla: { tick: parseCount, read: (t) => parseCount(/^A (\S+) model/.exec(t)?.[1] ?? '') },
  isoflop: { tick: parseCount, read: (t) => parseCount(/^(\S+) parameters/.exec(t)?.[1] ?? '') },
};

/** The x tick labels of a chart: the lowest row of at least three labels that parse. */
async function xTicks(page, id, parse) {
  const texts = await page.$$eval(`#chart-${id} .svg-host svg text`, (ts) =>
    ts.map((t) => {
      const r = t.getBoundingClientRect();
      return { text: t.textContent, x: r.x + r.width / 2, y: Math.round(r.y + r.height / 2) };
    }),
  );
  const rows = new Map();
  for (const t of texts) {
    if (Number.isFinite(parse(t.text))) rows.set(t.y, [...(rows.get(t.y) ?? []), t]);
  }
  const full = [...rows.entries()].filter(([, v]) => v.length >= 3).sort((a, b) => b[0] - a[0]);
  assert.ok(full.length > 0, `${id}: no x tick labels found in ${JSON.stringify(texts)}`);
  return full[0][1].sort((a, b) => a.x - b.x);
}

for (const width of [1280, 1024, 390]) {
  test(`the read-out is the value under the pointer on every chart at ${width} px`, async () => {
    const { page, problems } = await watchedPage(env.browser, { width, height: 900 });
    await page.goto(env.origin + '/');
    await ready(page);
    await page.waitForSelector('#chart-isoflop .svg-host svg');
    await page.waitForTimeout(300); // the width measurement settles
    for (const [id, how] of Object.entries(CHARTS)) {
      await page.$eval(`#chart-${id} .chart-canvas`, (e) => e.scrollIntoView({ block: 'center' }));
      const ticks = await xTicks(page, id, how.tick);
      // One pixel in log units, from two neighbouring ticks: the tolerance is 3 px.
      const [a, b] = ticks;
      const perPx = Math.log(how.tick(b.text) / how.tick(a.text)) / (b.x - a.x);
      let previous = await page.textContent(`[data-testid=readout-${id}]`);
      for (const t of ticks) {
        await page.mouse.move(t.x, t.y);
        // The read-out follows on the next render.
        await page
          .waitForFunction(([sel, prev]) => document.querySelector(sel).textContent !== prev, [`[data-testid=readout-${id}]`, previous], { timeout: 2000 })
          .catch(() => {});
        const text = await page.textContent(`[data-testid=readout-${id}]`);
        previous = text;
        const got = how.read(text);
        const want = how.tick(t.text);
        const offPx = how.whole && Math.abs(got - want) <= 1 ? 0 : Math.abs(Math.log(got / want)) / perPx;
        assert.ok(offPx <= 3, `${width}px ${id}: pointer on "${t.text}" read "${text}" (${offPx.toFixed(1)} px off)`);
        // The dashed crosshair sits under the pointer.
        const lineX = await page.$eval(`#chart-${id} .hover-layer`, (svg) => {
          const r = svg.getBoundingClientRect();
          const vb = svg.viewBox.baseVal;
          return r.left + (Number(svg.querySelector('line').getAttribute('x1')) * r.width) / vb.width;
        });
        assert.ok(Math.abs(lineX - t.x) <= 3, `${width}px ${id}: crosshair at ${lineX}, pointer at ${t.x}`);
      }
    }
    // The breakdown's bars: pointing at a bar's label reads that bar.
    await page.$eval('#chart-breakdown .chart-canvas', (e) => e.scrollIntoView({ block: 'center' }));
    for (const label of ['Inference', 'Training']) {
      const box = await page.locator(`#chart-breakdown .svg-host svg text`, { hasText: new RegExp(`^${label}$`) }).boundingBox();
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page
        .waitForFunction((l) => document.querySelector('[data-testid=readout-breakdown]').textContent.startsWith(l), label, { timeout: 2000 })
        .catch(() => {});
      assert.match(await page.textContent('[data-testid=readout-breakdown]'), new RegExp(`^${label} `));
    }
    assert.deepEqual(problems(), []);
    await page.close();
  });
}

test('comparing, pointing at each of the four bars reads that bar', async () => {
  const { page, problems } = await watchedPage(env.browser, { width: 1280, height: 900 });
  await page.goto(env.origin + '/?model=llama-3.1-8b&a.model=llama-3.1-70b&view=breakdown');
  await ready(page);
  await page.waitForSelector('#chart-breakdown .svg-host svg');
  await page.waitForTimeout(300); // the width measurement settles
  const labels = ['A: Inference', 'B: Inference', 'A: Training', 'B: Training'];
  await page.locator('#chart-breakdown .svg-host svg').scrollIntoViewIfNeeded();
  for (const label of labels) {
    const box = await page.locator('#chart-breakdown .svg-host svg text', { hasText: new RegExp(`^${label}$`) }).boundingBox();
    assert.ok(box, `the bar label "${label}" is drawn`);
    await page.mouse.move(box.x + box.width / 2, box.y - 20);
    await page
      .waitForFunction((l) => document.querySelector('[data-testid=readout-breakdown]').textContent.startsWith(l), label, { timeout: 2000 })
      .catch(() => {});
    assert.match(await page.textContent('[data-testid=readout-breakdown]'), new RegExp(`^${label} `), `pointer over "${label}"`);
  }
  assert.deepEqual(problems(), []);
  await page.close();
});

test('on a phone a tap shows the read-out and keeps it until the next tap', async () => {
  const ctx = await env.browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const { page, problems } = await watchedPage(env.browser, { context: ctx });
  await page.goto(env.origin + '/');
  await ready(page);
  const canvas = page.locator('#chart-memory .chart-canvas');
  const box = await canvas.boundingBox();
  await canvas.tap({ position: { x: box.width * 0.5, y: box.height * 0.5 } });
  const first = await page.textContent('[data-testid=readout-memory]');
  assert.match(first, /^At [\d,]+ tokens: weights/);
  await page.waitForTimeout(600);
  assert.equal(await page.textContent('[data-testid=readout-memory]'), first, 'the read-out stays after the finger lifts');
  await canvas.tap({ position: { x: box.width * 0.8, y: box.height * 0.5 } });
  const second = await page.textContent('[data-testid=readout-memory]');
  assert.match(second, /^At [\d,]+ tokens: weights/);
  assert.notEqual(second, first, 'the next tap reads the new place');
  assert.deepEqual(problems(), []);
  await ctx.close();
});

test('one rounding rule: the card, the table, the chart and the sentence give one crossover', async () => {
  const { page, problems } = await watchedPage(env.browser);
  await page.goto(env.origin + '/');
  await ready(page);
  // Llama-3.1-8B bf16: 16,060,522,496 B of weights / 131,072 B per token = 122,532.9 tokens; the
  // first whole context at which the cache is at least the weights is 122,533.
  const card = await page.locator('.card', { hasText: 'KV cache = weights at' }).locator('strong').textContent();
  assert.equal(card, '122,533 tokens');
  await page.click('#chart-memory .data-table summary');
  const row = page.locator('#chart-memory table tr', { hasText: 'KV = weights' });
  assert.equal(await row.locator('td').first().textContent(), '122,533');
  assert.match(await page.textContent('#chart-memory-summary'), /122,533 tokens/);
  assert.ok((await page.locator('#chart-memory svg text', { hasText: 'KV = weights at 122,533' }).count()) === 1);
  assert.deepEqual(problems(), []);
  await page.close();
});

test('charts are redrawn for the width they are shown at: resize, rotation, no redraw per pixel', async () => {
  const { page, problems } = await watchedPage(env.browser, { width: 1280, height: 900 });
  await recordWindowErrors(page);
  await page.goto(env.origin + '/');
  await ready(page);
  const drawn = () =>
    page.$eval('#chart-memory', (f) => ({
      attr: Number(f.querySelector('.svg-host svg').getAttribute('width')),
      shown: f.querySelector('.chart-canvas').clientWidth,
      // Rendered height of the x axis's title, in CSS pixels (drawn at the tick labels' size).
      tick: [...f.querySelectorAll('.svg-host svg text')].find((t) => t.textContent === 'Context length (tokens)')?.getBoundingClientRect().height ?? 0,
    }));
  const settled = async (label) => {
    await page.waitForFunction(() => {
      const f = document.querySelector('#chart-memory');
      const w = Number(f.querySelector('.svg-host svg').getAttribute('width'));
      return Math.abs(w - f.querySelector('.chart-canvas').clientWidth) <= 10;
    }, null, { timeout: 5000 }).catch(() => {});
    const d = await drawn();
    assert.ok(Math.abs(d.attr - d.shown) <= 10, `${label}: drawn ${d.attr} px wide, shown at ${d.shown} px`);
    assert.ok(d.tick >= 9, `${label}: tick labels are ${d.tick.toFixed(1)} px high`);
    return d;
  };
  await settled('1280 px');
  await page.setViewportSize({ width: 390, height: 844 });
  await settled('shrunk to 390 px');
  await page.setViewportSize({ width: 844, height: 390 });
  await settled('rotated to landscape');
  await page.setViewportSize({ width: 390, height: 844 });
  await settled('rotated back');
  // A drag of the window edge: 40 one-pixel steps redraw a few times, not 40.
  await page.evaluate(() => {
    window.__redraws = 0;
    const host = document.querySelector('#chart-memory .svg-host');
    // A redraw sets the chart's SVG anew (one markup, one new <svg>).
    new MutationObserver((ms) => {
      for (const m of ms) window.__redraws += [...m.addedNodes].filter((n) => n.nodeName === 'svg').length;
    }).observe(host, { childList: true });
  });
  for (let w = 700; w < 740; w++) await page.setViewportSize({ width: w, height: 844 });
  await page.waitForTimeout(400);
  const redraws = await page.evaluate(() => window.__redraws);
  assert.ok(redraws >= 1 && redraws <= 6, `${redraws} redraws for a 40-pixel drag`);
  await settled('after the drag');
  assert.deepEqual(await page.evaluate(() => window.__errors), [], 'no window errors (ResizeObserver loop)');
  assert.deepEqual(problems(), []);
  await page.close();
});

test('the first render draws the chart at the width it is laid out at: once, never again at the mount', async () => {
  // A chart drawn at a guess and again once measured costs the mount a second drawing, and an
  // embed's chart visibly changed size (860 → 1,250 px at 1,280 px).
  for (const [path, width, height] of [
    ['/', 1280, 900], ['/', 1100, 800], ['/', 768, 1024], ['/', 375, 812], ['/', 320, 640],
    ['/?model=qwen2.5-7b&controls=none', 1280, 900],
    ['/?view=memory&controls=ctx&embed=1', 1280, 900], ['/?view=memory&controls=ctx&embed=1', 390, 844],
    ['/?view=memory&controls=ctx&embed=1', 844, 390],
  ]) {
    const { page, problems } = await watchedPage(env.browser, { width, height });
    await page.addInitScript(() => {
      window.__drawn = [];
      new MutationObserver((ms) => {
        for (const m of ms) {
          for (const n of m.addedNodes) {
            if (n.nodeName === 'svg' && n.parentElement?.matches('.svg-host') && n.closest('#app > .app:not(.prerender) #chart-memory')) window.__drawn.push(n.getAttribute('width'));
          }
        }
      }).observe(document, { childList: true, subtree: true });
    });
    await page.goto(env.origin + path);
    await ready(page);
    await page.waitForTimeout(600);
    const drawn = await page.evaluate(() => window.__drawn);
    const shown = await page.$eval('#chart-memory .chart-canvas', (c) => c.clientWidth);
    assert.equal(drawn.length, 1, `${path} at ${width}×${height}: drawn ${drawn.length} times (${drawn.join(', ')} px) for a ${shown} px canvas`);
    assert.ok(Math.abs(Number(drawn[0]) - shown) <= 5, `${path} at ${width}×${height}: drawn ${drawn[0]} px wide, shown at ${shown} px`);
    assert.deepEqual(problems(), []);
    await page.close();
  }
});

test("the article's words: the KV cache is the activations kept for past tokens, defined beside the chart", async () => {
  const { page, problems } = await watchedPage(env.browser);
  await page.goto(env.origin + '/');
  await ready(page);
  assert.equal(await page.locator('#chart-memory svg text', { hasText: 'KV cache (activations kept for past tokens)' }).count(), 1);
  assert.equal(await page.locator('#chart-memory svg text', { hasText: 'Transient activations' }).count(), 1);
  const lede = await page.textContent('[data-testid=lede-memory]');
  assert.match(lede, /Weights are the model's fixed, learned numbers/);
  assert.match(lede, /the KV cache is the activations kept for past tokens/);
  assert.match(await page.textContent('.card.kv dt'), /KV cache — activations kept for past tokens/);
  assert.match(await page.textContent('#chart-memory-summary'), /the KV cache \(the activations kept for past tokens\)/);
  // Jargon explained on a tap (click) and from the keyboard.
  const term = page.locator('button.term', { hasText: 'forward pass' });
  const def = page.locator('#term-forward');
  assert.equal(await def.isVisible(), false);
  await term.click();
  assert.equal(await def.isVisible(), true);
  assert.match(await def.textContent(), /every layer of the model/);
  await term.press('Enter');
  assert.equal(await def.isVisible(), false, 'Enter toggles it closed');
  await term.press('Enter');
  await term.press('Escape');
  assert.equal(await def.isVisible(), false, 'Escape closes it');
  for (const [sel, text] of [
    ['button.term:has-text("memory bandwidth")', /read every weight it uses and the whole KV cache/],
    ['button.term:has-text("Decode speed")', /tokens per second of each conversation/],
    ['button[aria-label="GiB or GB: what is the difference?"]', /2³⁰ = 1,073,741,824 bytes/],
    ['button[aria-label="What is FlashAttention?"]', /never stored whole/],
  ]) {
    const b = page.locator(sel);
    await b.focus();
    await page.keyboard.press('Enter');
    const id = await b.getAttribute('aria-controls');
    assert.equal(await b.getAttribute('aria-expanded'), 'true');
    assert.match(await page.textContent(`#${id}`), text);
    assert.equal(await page.locator(`#${id}`).isVisible(), true);
  }
  assert.deepEqual(problems(), []);
  await page.close();
});

test('numbers beyond the model\'s limit say so; what does not fit says what would', async () => {
  const { page, problems } = await watchedPage(env.browser);
  // One RTX 4090 with Llama-3.1-8B in Q4_K_M: everything fits past the 128k trained context.
  await page.goto(env.origin + '/?model=llama-3.1-8b&weights=q4_k_m&gpu=rtx-4090-24gb');
  await ready(page);
  assert.match(
    await page.textContent('#chart-memory-summary'),
    /fits in 24\.0 GiB up to [\d,]+ tokens — beyond the 128k-token context Llama-3\.1-8B supports/,
  );
  // GPT-3's cache equals its weights far past its 2k context.
  await next(page, env.origin + '/?model=gpt-3-175b&gpus=8');
  const cross = page.locator('.card', { hasText: 'KV cache = weights at' });
  assert.match(await cross.textContent(), /beyond the 2k-token context GPT-3 175B supports/);
  assert.match(await page.textContent('#chart-memory-summary'), /would equal them at [\d,]+ tokens — beyond the 2k-token context/);
  // Llama-3.1-70B in bf16 on one H100: it does not fit, so say what would, and do not show a
  // decode time as if it ran.
  await next(page, env.origin + '/?model=llama-3.1-70b&ctx=32k');
  const advice = await page.textContent('[data-testid=fit-advice]');
  assert.match(advice, /It would fit with INT8 \(weight-only\) weights \(the largest format that fits\), or unchanged on 2 × H100 SXM 80GB\./);
  assert.match(await page.textContent('#chart-memory-summary'), /It does not fit: even the weights do not fit in 80\.0 GiB\. It would fit with INT8/);
  assert.match(await page.locator('.card', { hasText: 'Decode' }).textContent(), /does not run/);
  await page.waitForSelector('#chart-speed-summary');
  assert.match(await page.textContent('#chart-speed-summary'), /^It does not fit on these GPUs, so it would not run at all; if it did/);
  // Training that does not fit names recomputation, ZeRO or more GPUs.
  await next(page, env.origin + '/?model=llama-3.1-70b&mode=train&ctx=4k');
  assert.match(await page.textContent('[data-testid=fit-advice]'), /It would fit with .*ZeRO-3 over \d+ data-parallel GPUs/);
  assert.match(await page.textContent('#chart-breakdown-summary'), /Training does not fit one H100 SXM 80GB\. It would fit with/);
  assert.deepEqual(problems(), []);
  await page.close();
});

test('the inference-vs-training sentence reads true both ways, on a stated basis', async () => {
  const { page, problems } = await watchedPage(env.browser);
  // 64-way ZeRO-3: each GPU holds less than serving needs, though training holds far more in all.
  await page.goto(env.origin + '/?model=llama-3.1-70b&weights=q4_k_m&mode=train&zero=3&dp=64&recompute=full&ctx=4k');
  await ready(page);
  const s = await page.textContent('#chart-breakdown-summary');
  assert.match(s, /^Serving needs [\d.]+ GiB in all \(on 1 GPU\); training needs [\d.]+ GiB on each of its 64 GPUs, 0\.\d× as much per GPU, only because parallelism splits it: in all it holds/);
  assert.doesNotMatch(s, /0\.\d× as much\), because/);
  // Bars say their basis.
  assert.equal(await page.locator('#chart-breakdown svg text', { hasText: '(per GPU, of 64)' }).count(), 1);
  assert.equal(await page.locator('#chart-breakdown svg text', { hasText: '(the GPU)' }).count(), 1);
  // Every training card is per GPU: the weights card shows this GPU's share (1/64 of 131 GiB).
  const weights = await page.locator('.card.weights').textContent();
  assert.match(weights, /per GPU/);
  // Training mode leads with training: the breakdown first, its explainer, no inference GPU count.
  assert.equal(await page.$eval('.figures figure.chart', (f) => f.id), 'chart-breakdown');
  assert.match(await page.textContent('details.explainer summary'), /training need so much more memory/);
  assert.equal(await page.locator('#gpus').count(), 0);
  assert.deepEqual(problems(), []);
  await page.close();
});

test('a resized preset is not credited with the published training tokens', async () => {
  const { page, problems } = await watchedPage(env.browser);
  await page.goto(env.origin + '/?params=7B');
  await ready(page);
  const help = await page.textContent('#tokens-help');
  assert.doesNotMatch(help, /the published count/);
  assert.match(help, /20 per parameter assumed: the published 15T was for the unmodified preset/);
  assert.equal(await page.$eval('#tokens-num', (e) => e.value), '140B');
  assert.deepEqual(problems(), []);
  await page.close();
});

test('on a phone the keyboard follows the page as shown: key numbers, first chart, the controls under it', async () => {
  // One column is written in the order it is shown (the stylesheet's `order` showed the chart
  // above the settings while Tab met the settings first).
  for (const [width, height, path] of [[390, 844, '/'], [768, 1024, '/'], [390, 844, '/?mode=train']]) {
    const { page, problems } = await watchedPage(env.browser, { width, height });
    await page.goto(env.origin + path);
    await ready(page);
    await page.waitForSelector('#chart-chinchilla .svg-host svg');
    const stops = await page.evaluate(() => {
      const shown = (el) => {
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) return false;
        const closed = el.closest('details:not([open])');
        return !closed || el === closed.querySelector(':scope > summary');
      };
      return [...document.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex]')]
        .filter((el) => el.tabIndex >= 0 && !el.disabled && shown(el))
        .map((el) => ({ top: Math.round(el.getBoundingClientRect().top + scrollY), bottom: Math.round(el.getBoundingClientRect().bottom + scrollY), what: `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} "${(el.textContent || el.getAttribute('aria-label') || '').trim().slice(0, 30)}"` }));
    });
    assert.ok(stops.length > 40, `${width}px: ${stops.length} stops`);
    for (let i = 1; i < stops.length; i++) {
      // Down the page, or along the same row (a slider and its number field side by side).
      assert.ok(stops[i].bottom > stops[i - 1].top, `${width}px: Tab goes up the page from ${stops[i - 1].what} (y ${stops[i - 1].top}) to ${stops[i].what} (y ${stops[i].top})`);
    }
    // The first chart's buttons, then the context slider under it.
    const order = stops.map((s) => s.what);
    const share = order.findIndex((w) => w.includes('Link to this chart'));
    const ctx = order.findIndex((w) => w.startsWith('input#ctx'));
    assert.ok(share >= 0 && ctx > share, `${width}px ${path}: the chart's link (${share}) before the context slider (${ctx})`);
    assert.deepEqual(problems(), []);
    await page.close();
  }
});

test('a phone: fields take "128k", and the controls sit under the chart they move', async () => {
  const ctx = await env.browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const { page, problems } = await watchedPage(env.browser, { context: ctx });
  await page.goto(env.origin + '/');
  await ready(page);
  for (const id of ['ctx-num', 'batch-num', 'params-num', 'tokens-num']) {
    assert.equal(await page.$eval(`#${id}`, (e) => e.inputMode), 'text', `#${id} opens a keyboard with letters`);
  }
  await page.fill('#ctx-num', '128k');
  await page.press('#ctx-num', 'Enter');
  await page.locator('[data-testid=marker-memory] text', { hasText: '128k tokens' }).waitFor();
  // Order down the page: key numbers, the memory chart, the context slider, … the model picker.
  const top = (sel) => page.$eval(sel, (e) => e.getBoundingClientRect().top + window.scrollY);
  const [cards, chart, ctxSlider, model, tokens, chin] = await Promise.all(
    ['dl.cards', '#chart-memory', '#ctx', '#model', '#tokens', '#chart-chinchilla'].map(top),
  );
  assert.ok(cards < chart && chart < ctxSlider && ctxSlider < model, `${cards} ${chart} ${ctxSlider} ${model}`);
  const chartBottom = await page.$eval('#chart-memory', (e) => e.getBoundingClientRect().bottom + window.scrollY);
  assert.ok(ctxSlider - chartBottom < 200, `the context slider is ${ctxSlider - chartBottom} px below its chart`);
  assert.ok(tokens < chin, 'the training-tokens slider sits above the Chinchilla chart');
  // With the slider in view, so is the chart above it (844 px screen).
  await page.$eval('#ctx', (e) => e.scrollIntoView({ block: 'end' }));
  const visible = await page.$eval('#chart-memory .chart-canvas', (e) => {
    const r = e.getBoundingClientRect();
    return Math.min(r.bottom, innerHeight) - Math.max(r.top, 0);
  });
  assert.ok(visible > 200, `only ${visible} px of the chart visible while using its slider`);
  await shot(page, 'phone-390x844-slider');
  assert.deepEqual(problems(), []);
  await ctx.close();
});

test('embed.js follows the content both ways: a table opened and closed, a rotation and back', async () => {
  const { readFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { DIST } = await import('./lib.mjs');
  const embedJs = readFileSync(join(DIST, 'static', 'embed.js'), 'utf8');
  const hostPage = `<!doctype html><html><head><meta charset="utf-8"><title>Weights vs activations</title><link rel="icon" href="data:,">
  <script src="/embed.js" defer></script></head><body><h1>Weights vs activations</h1>
  <iframe id="f" src="${env.origin}/?embed=1&view=memory&controls=ctx" data-llm-memviz width="100%" height="150"></iframe>
  <p>After the chart.</p></body></html>`;
  const host = await serve({ prefix: '/nothing/', extra: { '/': hostPage, '/embed.js': embedJs } });
  const { page, problems } = await watchedPage(env.browser, { width: 900, height: 900 });
  await page.goto(host.origin + '/');
  const frame = page.frameLocator('#f');
  await frame.locator('#chart-memory .svg-host svg').waitFor();
  // The frame's inside: embed.js leaves the host's border on it.
  const height = () => page.$eval('#f', (f) => f.clientHeight);
  const content = () => frame.locator('body').evaluate((b) => b.getBoundingClientRect().height);
  // embed.js follows the frame's posts; give the frame a moment to lay out and post.
  const settle = () => page.waitForTimeout(400);
  await settle();
  const start = await height();
  assert.ok(Math.abs(start - (await content())) <= 2, `iframe ${start} px, content ${await content()} px`);
  await frame.locator('#chart-memory .data-table summary').click();
  await settle();
  const open = await height();
  assert.ok(open > start + 100, `the open table grows the frame: ${start} → ${open}`);
  await frame.locator('#chart-memory .data-table summary').click();
  await settle();
  const closed = await height();
  assert.ok(Math.abs(closed - start) <= 2, `closing the table shrinks it back: ${start} → ${open} → ${closed}`);
  // Narrow (portrait phone) and back: the frame follows down and up.
  await page.setViewportSize({ width: 390, height: 844 });
  await settle();
  const narrow = await height();
  assert.ok(Math.abs(narrow - (await content())) <= 2, `narrow: iframe ${narrow}, content ${await content()}`);
  // In one column the settings panel is as tall as what it holds, no blank below its slider.
  const blank = await frame.locator('section.panel').evaluate((p) => p.getBoundingClientRect().bottom - p.querySelector('.control.slider').getBoundingClientRect().bottom);
  assert.ok(blank < 40, `${blank} px of blank panel under the slider`);
  await page.setViewportSize({ width: 900, height: 900 });
  await settle();
  const back = await height();
  assert.ok(Math.abs(back - start) <= 12, `back to 900 px wide: ${start} → ${narrow} → ${back}`);
  assert.deepEqual(problems(), []);
  await page.close();
  await host.close();
});

test('the embed builder: at the top, plain names, Copy, the claim\'s controls, a height that holds a phone', async () => {
  const ctx = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.origin });
  const { page, problems } = await watchedPage(env.browser, { context: ctx });
  await page.goto(env.origin + '/?model=qwen2.5-7b');
  await ready(page);
  // Beside "Copy link", in the first screen.
  const top = await page.$eval('#embed', (e) => e.getBoundingClientRect().top);
  assert.ok(top < 200, `the builder starts ${top} px down`);
  await page.click('#embed summary');
  await page.waitForSelector('#embed-snippet');
  const labels = await page.$$eval('#embed label.check', (ls) => ls.map((l) => l.textContent));
  assert.ok(labels.includes('Memory vs context length') && labels.includes('Same compute, different sizes'), labels.join(' | '));
  assert.ok(!labels.some((l) => /^(isoflop|kv|fit|ctx)$/.test(l)), labels.join(' | '));
  // A memory chart offers what makes its claim happen: the context length and the GPU (the
  // out-of-memory claim needs a smaller card), not the batch.
  const checked = await page.$$eval('#embed input[type=checkbox]:checked', (cs) => cs.map((c) => c.value));
  assert.deepEqual(checked, ['memory', 'ctx', 'gpu']);
  // Copy, once the height is measured (no snippet before).
  assert.equal(await page.$eval('#embed button.primary', (b) => b.disabled), true);
  await page.locator('[data-testid=embed-height-help]', { hasText: 'measured' }).waitFor({ timeout: 15000 });
  await page.click('#embed button:has-text("Copy snippet")');
  await page.locator('#embed .status', { hasText: 'Snippet copied' }).waitFor();
  const clip = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(clip, await page.$eval('#embed-snippet', (e) => e.value));
  // The height is measured at 360 px wide; that height holds the view on a 360 px phone.
  await page.locator('[data-testid=embed-height-help]', { hasText: 'measured' }).waitFor({ timeout: 15000 });
  const snippet = await page.$eval('#embed-snippet', (e) => e.value);
  const h = Number(/height="(\d+)"/.exec(snippet)[1]);
  const src = /src="([^"]+)"/.exec(snippet)[1].replace(/&amp;/g, '&');
  const phone = await env.browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true });
  const p2 = await phone.newPage();
  await p2.setContent(`<!doctype html><meta name="viewport" content="width=device-width, initial-scale=1"><body style="margin:0"><iframe id="f" src="${src}" width="100%" height="${h}" style="border:0"></iframe></body>`);
  const f = p2.frameLocator('#f');
  await f.locator('#chart-memory .svg-host svg').waitFor();
  await p2.waitForTimeout(500);
  const [need, inner] = await f.locator('body').evaluate((b) => [b.getBoundingClientRect().height, innerWidth]);
  assert.equal(inner, 360);
  assert.ok(need <= h, `the view needs ${need} px at 360 px wide; the snippet gives ${h}`);
  assert.ok(h - need < 80, `and not much more (${h} vs ${need})`);
  await phone.close();
  assert.deepEqual(problems(), []);
  await ctx.close();
});

test('the engine picker: vLLM uses 90 % of the card as nvidia-smi reports it, and every view says so', async () => {
  const { page, problems } = await watchedPage(env.browser);
  await page.goto(env.origin + '/?ctx=32k');
  await ready(page);
  await page.selectOption('#engine', 'vllm');
  await page.waitForFunction(() => location.search.includes('engine=vllm'), null, { timeout: 5000 });
  // 81,559 MiB (nvidia-smi on an H100) × 0.9 = 71.7 GiB.
  await page.locator('#chart-memory svg text', { hasText: '1 × H100 SXM 80GB: 71.7 GiB usable by vLLM (vllm serve)' }).waitFor();
  assert.match(await page.textContent('.card.ok, .card.bad'), /71\.7 GiB usable by vLLM/);
  assert.match(await page.textContent('[data-testid=engine-overhead]'), /Includes [\d.]+ MiB the engine holds itself/);
  // vLLM's share is a field of its own; 50 % halves what it may use.
  await page.fill('#gpu_util', '50');
  await page.press('#gpu_util', 'Enter');
  await page.locator('#chart-memory svg text', { hasText: '39.8 GiB usable by vLLM' }).waitFor();
  await page.waitForFunction(() => location.search.includes('gpu_util=0.5'), null, { timeout: 5000 });
  // Show working names the rule and its source.
  await page.click('details.working summary');
  await page.waitForSelector('details.working dl dt');
  const working = await page.textContent('details.working');
  assert.match(working, /Memory the engine may use/);
  assert.match(working, /as measured and quoted with its source in src\/estimate\/data\/gpus\.json/);
  assert.match(working, /max_num_batched_tokens 8,192/);
  // Back to the tensors alone: the chart's GPU line is the catalog figure again.
  await page.selectOption('#engine', 'none');
  await page.locator('#chart-memory svg text', { hasText: '1 × H100 SXM 80GB: 80.0 GiB' }).waitFor();
  assert.deepEqual(problems(), []);
  await page.close();
});

test('a LoRA fine-tune in Hugging Face transformers: the unfused loss, and the master-weights switch', async () => {
  const { page, problems } = await watchedPage(env.browser);
  // Unsloth's benchmark: HF + FA2 QLoRA (rank 32) fits Llama-3.1-8B up to 28,454 tokens in 80 GB.
  await page.goto(env.origin + '/?model=llama-3.1-8b&mode=train&weights=nf4&lora_rank=32&recompute=full&ctx=28454&gpu=a100-80gb&engine=transformers');
  await ready(page);
  const total = await page.locator('.card', { hasText: 'Total per GPU' }).textContent();
  assert.match(total, /7\d\.\d GiB/);
  assert.match(total, /fits in 80\.0 GiB/);
  await page.fill('#ctx-num', '40k');
  await page.press('#ctx-num', 'Enter');
  await page.locator('.card', { hasText: 'Total per GPU' }).filter({ hasText: 'exceeds' }).waitFor();
  await page.click('details.working summary');
  await page.waitForSelector('details.working dl dt');
  assert.match(await page.textContent('details.working'), /16 B per vocabulary entry × 40,960 tokens/);
  // Full fine-tuning without an fp32 master copy: 8 bytes per parameter.
  await next(page, env.origin + '/?mode=train');
  const before = await page.locator('.card.optimizer strong').textContent();
  await page.uncheck('#master');
  await page.waitForFunction(() => location.search.includes('master=0'), null, { timeout: 5000 });
  const after = await page.locator('.card.optimizer strong').textContent();
  // 15.0 GiB gradients + 89.7 GiB fp32 master and moments → 15.0 + 29.9 GiB of bf16 moments.
  assert.equal(before, '105 GiB');
  assert.equal(after, '44.9 GiB');
  assert.deepEqual(problems(), []);
  await page.close();
});

test('will a 70B run on my 24 GB card? llama.cpp splits it and says how fast it will be', async () => {
  const { page, problems } = await watchedPage(env.browser);
  await page.goto(env.origin + '/?model=llama-3.1-70b&weights=q4_k_m&gpu=rtx-4090-24gb&engine=llamacpp&ctx=8k');
  await ready(page);
  const summary = await page.textContent('#chart-memory-summary');
  assert.match(summary, /llama\.cpp keeps (\d+) of 81 layers on the GPU \(as many as fit: 2\d\.\d GiB\) and the rest in system RAM \([\d.]+ GiB\), so each token takes about [\d.]+ ms \(at best [\d.]+ ms, system RAM at 89\.6 GB\/s\)\./);
  assert.doesNotMatch(summary, /even the weights do not fit/);
  // One verdict, in one set of words: on the Total card and in the sentence.
  const verdict = await page.textContent('[data-testid=verdict]');
  const [, inRam] = /^Runs with (\d+) of 81 layers in system RAM ✓$/.exec(verdict) ?? [];
  assert.ok(inRam, verdict);
  assert.match(summary, new RegExp(`It runs with ${inRam} of 81 layers in system RAM\\.`));
  const decodeBefore = await page.locator('.card', { hasText: 'Decode' }).locator('strong').textContent();
  // Fewer layers on the GPU: slower, and the link says so.
  await page.selectOption('#ngl', '20');
  await page.waitForFunction(() => location.search.includes('ngl=20'), null, { timeout: 5000 });
  await page.locator('#chart-memory-summary', { hasText: 'keeps 20 of 81 layers on the GPU (as set by ngl' }).waitFor();
  const decodeAfter = await page.locator('.card', { hasText: 'Decode' }).locator('strong').textContent();
  assert.notEqual(decodeAfter, decodeBefore);
  // Faster system memory: a workstation's 8 channels.
  await page.selectOption('#ram_bw', '307.2');
  await page.locator('#chart-memory-summary', { hasText: 'system RAM at 307.2 GB/s' }).waitFor();
  assert.deepEqual(problems(), []);
  await page.close();
});

test('an offloaded model: the Decode card, the speed chart\'s marker and its sentence say one speed', async () => {
  // gpt-oss-120b in llama.cpp's MXFP4 MoE GGUF on one RTX 3090 at 16k tokens: most layers in
  // system RAM. Once the card said 59.5 ms per token and the chart's marker 7.32 ms.
  const { page, problems } = await watchedPage(env.browser);
  // With 64 GB of RAM (the default 32 GB cannot hold the 36 GiB llama.cpp leaves there).
  await page.goto(env.origin + '/?model=gpt-oss-120b&gpu=rtx-3090-24gb&engine=llamacpp&ctx=16k&ram=64');
  await ready(page);
  await page.waitForSelector('[data-testid=marker-speed] text');
  const card = await page.locator('.card', { hasText: 'Decode speed' }).locator('strong').textContent();
  const perSecond = Number(/^≈ ([\d.,]+) tok\/s$/.exec(card)?.[1].replace(/,/g, ''));
  assert.ok(perSecond > 1 && perSecond < 200, card);
  const marker = await page.textContent('[data-testid=marker-speed] text');
  const ms = Number(/: ([\d.]+) ms$/.exec(marker)?.[1]);
  // The card rounds to three figures, the marker to 0.01 ms: the same step time within that.
  assert.ok(Math.abs(1000 / ms / perSecond - 1) < 0.005, `card ${card}, marker ${marker}`);
  const sentence = await page.textContent('#chart-speed-summary');
  assert.match(sentence, new RegExp(`about ${ms.toPrecision(3).replace('.', '\\.')} ms per token \\(${perSecond} tok/s\\) at 16,384 tokens`));
  assert.match(await page.textContent('#chart-memory-summary'), /in system RAM .*so each token takes about [\d.]+ ms/);
  // The fit verdict is one on the card, in the memory chart's sentence and in its read-out
  // at the marker; with 32 GB of RAM all three say it does not fit.
  const verdicts = async () => {
    const card = (await page.textContent('[data-testid=verdict]')).replace(/ [✓✗]$/, '');
    const sentence = await page.textContent('#chart-memory-summary');
    const line = await page.$eval('[data-testid=marker-memory] svg', (svg) => {
      const r = svg.getBoundingClientRect();
      const l = svg.querySelector('line, path');
      const b = l.getBBox();
      return { x: r.left + ((b.x + b.width / 2) * r.width) / svg.viewBox.baseVal.width, y: r.top + r.height / 2 };
    });
    await page.$eval('#chart-memory .chart-canvas', (e) => e.scrollIntoView({ block: 'center' }));
    const box = await page.$eval('[data-testid=marker-memory] svg', (svg) => svg.getBoundingClientRect().top);
    await page.mouse.move(line.x, box + 60);
    await page.waitForFunction(() => document.querySelector('[data-testid=readout-memory]').textContent.startsWith('At '), null, { timeout: 3000 });
    const readout = await page.textContent('[data-testid=readout-memory]');
    return { card, sentence, readout };
  };
  let v = await verdicts();
  assert.match(v.card, /^Runs with \d+ of 37 layers in system RAM$/, v.card);
  assert.ok(v.sentence.includes(`It ${v.card[0].toLowerCase()}${v.card.slice(1)}.`), `${v.card} / ${v.sentence}`);
  assert.ok(v.readout.endsWith(`; ${v.card[0].toLowerCase()}${v.card.slice(1)}`), `${v.card} / ${v.readout}`);
  await page.selectOption('#ram', String(32 * 2 ** 30));
  await page.locator('[data-testid=verdict]', { hasText: 'Does not fit' }).waitFor();
  await page.mouse.move(5, 5);
  v = await verdicts();
  assert.equal(v.card, 'Does not fit');
  assert.match(v.sentence, /It does not fit: [\d.]+ GiB of 24\.0 GiB usable by llama\.cpp on the GPU, [\d.]+ GiB of 28\.0 GiB free system RAM\./);
  assert.ok(v.readout.endsWith('; does not fit'), v.readout);
  assert.deepEqual(problems(), []);
  await page.close();
});

test('a shared link names what it holds in the tab title', async () => {
  const { page, problems } = await watchedPage(env.browser);
  await page.goto(env.origin + '/?model=llama-3.1-70b&weights=q4_k_m&ctx=32k');
  await ready(page);
  assert.equal(await page.title(), 'Llama-3.1-70B · Q4_K_M · 32k tokens — llm-memviz');
  await page.fill('#ctx-num', '1');
  await page.press('#ctx-num', 'Enter');
  await page.waitForFunction(() => document.title.includes('1 token ·') || document.title.includes('· 1 token —'));
  assert.equal(await page.title(), 'Llama-3.1-70B · Q4_K_M · 1 token — llm-memviz');
  assert.deepEqual(problems(), []);
  await page.close();
});
