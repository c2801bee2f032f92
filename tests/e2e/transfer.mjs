// What a first visit to the default page downloads, measured on the release dist/: each file's
// raw, gzip -9 and brotli (quality 11) size. Shared by `make bench` and the size budget test.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { DIST } from './lib.mjs';

export const FILES = ['index.html', 'static/state.js', 'static/boot.js', 'static/app.css', 'pkg/llm_memviz.js', 'pkg/llm_memviz_bg.wasm'];

/** [{ file, raw, gzip, brotli }] for each file of `dist` (this build's by default), and their
 *  totals. A file the build does not have (an older build) counts as empty. */
export function transferSizes(dist = DIST) {
  const rows = FILES.map((file) => {
    let b;
    try {
      b = readFileSync(join(dist, file));
    } catch {
      b = Buffer.alloc(0);
    }
    return {
      file,
      raw: b.length,
      gzip: gzipSync(b, { level: 9 }).length,
      brotli: brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    };
  });
  const total = rows.reduce((t, r) => ({ raw: t.raw + r.raw, gzip: t.gzip + r.gzip, brotli: t.brotli + r.brotli }), { raw: 0, gzip: 0, brotli: 0 });
  return { rows, total };
}
