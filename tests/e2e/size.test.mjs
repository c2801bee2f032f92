// The size budget: what the default page downloads, gzip -9, may not grow past the budget
// (size is deterministic, so this may fail the build). Prints the total and the files, largest
// first. The budget is the size reached plus 2 %: 321,903 B in stop 11; 333,279 B in stop 12,
// of which 5.6 KB is the prerendered first view (index.html 0.5 → 5.3 KB with the chart drawn
// twice, wide and narrow, and static/state.js) that puts the chart in the first paint, and
// 3 KB this stop's estimator (link-key definitions, presets, MXFP4, ZeRO-3 terms); 339,203 B
// in stop 13 (+5.8 KB the chart slot); 322,739 B in stop 14, the catalogs compiled in as Rust
// statics instead of JSON parsed at start-up (-16.5 KB: the deserializers and the JSON text);
// 327,418 B in stop 15 (+4.8 KB: a link's first view drawn by the module before the app
// mounts, and the key numbers in the build-time first view); 365,282 B in stop 22 (+36.8 KB
// over stop 16's 328,509; by commit, gzip -9 of the page's files: the speed estimator with its fitted constants and the 68-GPU catalog
// +7.6 KB once its datasheet quotes stayed out, speed on the page — the Decode card, the serving
// chart, the split and MFU controls, show-working lines — +9.2 KB, work held off the slider's
// path +1.9 KB, any hardware and the engines' rules — your own GPU's fields, RAM, KV types,
// --n-cpu-moe, the verdict, tensor-parallel rules, advice in each engine's terms — +16.3 KB;
// one action per key −0.5 KB); 377,496 B later in stop 22 (+12.2 KB: the article's share links
// — a chart's link and an embed's share with focus= and at=, the builder's claims, title and
// measured snippet, the dark first paint, the loading count and the sandbox fallback in
// state.js and boot.js — +7.4 KB; the compute budget and the inference-aware optimum +2.9 KB;
// the hobbyist's fixes — a select that shows the state, the verdict's whole layers, RAM advice
// — +1.7 KB).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { transferSizes } from './transfer.mjs';

const BUDGET_GZIP_BYTES = 385_046;

test(`the default page's transfer stays within ${BUDGET_GZIP_BYTES} B gzip`, () => {
  const { rows, total } = transferSizes();
  for (const r of [...rows].sort((a, b) => b.gzip - a.gzip)) {
    console.log(`${r.file.padEnd(26)} ${String(r.gzip).padStart(8)} B gzip ${String(r.brotli).padStart(8)} B brotli`);
  }
  console.log(`total ${total.gzip} B gzip (${(total.gzip / 1024).toFixed(1)} KiB), ${total.brotli} B brotli; budget ${BUDGET_GZIP_BYTES} B`);
  assert.ok(total.gzip <= BUDGET_GZIP_BYTES, `${total.gzip} B gzip is over the ${BUDGET_GZIP_BYTES} B budget`);
});
