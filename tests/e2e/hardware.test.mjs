// "Will it run on my hardware?": a reader's own GPU typed in reaches the link, the cards and
// the charts; a Mac speaks of its unified memory, never of CUDA, system RAM speeds or a GPU
// count; the engine's own KV types are offered.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { watchedPage, ready, useBrowserAndServer } from './lib.mjs';

const env = useBrowserAndServer();

test('your own GPU: its figures typed in reach the link, the cards and the charts', async () => {
  const { page, problems } = await watchedPage(env.browser);
  await page.goto(env.origin + '/?model=qwen3-30b-a3b&weights=q4_k_m&engine=llamacpp');
  await ready(page);
  await page.selectOption('#gpu', 'custom');
  await page.waitForFunction(() => location.search.includes('gpu=custom'), null, { timeout: 5000 });
  // An RX 7900 XT: 20 GB (sold as GB, holding GiB), 800 GB/s, 103 TFLOP/s.
  await page.fill('#gpu_mem', '20');
  await page.press('#gpu_mem', 'Enter');
  await page.fill('#gpu_bw', '800');
  await page.press('#gpu_bw', 'Enter');
  await page.fill('#gpu_tflops', '103');
  await page.press('#gpu_tflops', 'Enter');
  await page.waitForFunction(() => /gpu_mem=20GiB&gpu_bw=800&gpu_tflops=103/.test(location.search), null, { timeout: 5000 });
  // The memory chart's GPU line and the cards use the typed memory.
  await page.locator('#chart-memory-summary', { hasText: '20.0 GiB' }).waitFor();
  assert.match(await page.textContent('[data-testid=verdict]'), /^Fits on the GPU ✓$/);
  assert.match(await page.textContent('.card:has-text("Total")'), /of 20\.0 GiB usable by llama\.cpp/);
  const svgText = await page.$eval('#chart-memory svg', (s) => s.textContent);
  assert.match(svgText, /Your GPU \(20 GiB\): 20\.0 GiB/);
  // The decode speed follows the bandwidth: a slower card decodes slower.
  const speed = async () => Number(/≈ ([\d.,]+) tok\/s/.exec(await page.locator('.card', { hasText: 'Decode speed' }).textContent())?.[1].replace(/,/g, ''));
  const fast = await speed();
  await page.fill('#gpu_bw', '400');
  await page.press('#gpu_bw', 'Enter');
  await page.waitForFunction(() => location.search.includes('gpu_bw=400'), null, { timeout: 5000 });
  await page.waitForFunction((f) => {
    const card = [...document.querySelectorAll('.card')].find((c) => c.textContent.includes('Decode speed'));
    const m = /≈ ([\d.,]+) tok\/s/.exec(card?.textContent ?? '');
    return m && Number(m[1].replace(/,/g, '')) !== f;
  }, fast, { timeout: 5000 });
  const slow = await speed();
  assert.ok(slow < fast * 0.8, `${slow} tok/s at 400 GB/s, ${fast} at 800`);
  // A value it cannot read is said under the field, and the last good value stays.
  await page.fill('#gpu_mem', '20 bananas');
  await page.press('#gpu_mem', 'Enter');
  assert.match(await page.textContent('.field-error'), /kept 20/);
  assert.ok((await page.evaluate(() => location.search)).includes('gpu_mem=20GiB'));
  // The link reopens the same card.
  const link = await page.evaluate(() => location.search);
  await page.goto(env.origin + '/' + link);
  await ready(page);
  assert.equal(await page.inputValue('#gpu_mem'), '20');
  assert.equal(await page.inputValue('#gpu_bw'), '400');
  assert.deepEqual(problems(), []);
  await page.close();
});

test('a Mac: unified memory, Metal, no CUDA, no RAM speed, no GPU count', async () => {
  const { page, problems } = await watchedPage(env.browser);
  await page.goto(env.origin + '/?gpu=m4-max-128gb&gpu_mem=64&model=gpt-oss-20b&engine=llamacpp');
  await ready(page);
  const panel = await page.textContent('section[aria-labelledby=h-hardware]');
  assert.doesNotMatch(panel, /CUDA/);
  assert.match(panel, /Metal lets the GPU use 49,152 MiB/);
  assert.match(panel, /no separate system RAM and no GPU count/);
  assert.equal(await page.$('#ram_bw'), null);
  assert.equal(await page.$('#ram'), null);
  assert.equal(await page.$('#gpus'), null);
  const body = await page.textContent('main');
  assert.doesNotMatch(body, /CUDA/);
  assert.match(await page.textContent('[data-testid=verdict]'), /^Fits on the GPU ✓$/);
  // llama.cpp offers its own KV types, with their block bits; vLLM its FP8.
  const kv = await page.$$eval('#kv option', (o) => o.map((x) => x.value));
  assert.deepEqual(kv, ['fp32', 'fp16', 'bf16', 'q8_0', 'q5_1', 'q5_0', 'q4_1', 'q4_0', 'iq4_nl']);
  assert.match(await page.textContent('#kv'), /q8_0 \(llama\.cpp\) \(8\.5 bits\)/);
  await page.selectOption('#engine', 'vllm');
  await page.waitForFunction(() => location.search.includes('engine=vllm'), null, { timeout: 5000 });
  const vllm = await page.$$eval('#kv option', (o) => o.map((x) => x.value));
  assert.deepEqual(vllm, ['fp16', 'bf16', 'fp8', 'fp8_e5m2']);
  assert.deepEqual(problems(), []);
  await page.close();
});
