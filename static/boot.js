// Loads the WebAssembly app. Relative URLs, so dist/ works from any path prefix; no inline
// script anywhere, so the page runs under `script-src 'self' 'wasm-unsafe-eval'`. While the
// module downloads the loading line says how much has arrived.
import init from '../pkg/llm_memviz.js';

const url = new URL('../pkg/llm_memviz_bg.wasm', import.meta.url);
const counted = fetch(url).then((res) => {
  const lines = document.querySelectorAll('#app .loading');
  if (!res.ok || !res.body || !lines.length || typeof ReadableStream !== 'function') return res;
  const reader = res.body.getReader();
  let got = 0;
  const stream = new ReadableStream({
    async pull(c) {
      const { done, value } = await reader.read();
      if (done) {
        c.close();
        return;
      }
      got += value.byteLength;
      const kb = Math.round(got / 1024);
      lines.forEach((l) => { l.textContent = `Loading llm-memviz… ${kb} KiB of the app received`; });
      c.enqueue(value);
    },
  });
  return new Response(stream, { status: res.status, headers: { 'Content-Type': 'application/wasm' } });
});

init({ module_or_path: counted }).then((wasm) => {
  // The benchmark reads the WebAssembly memory size from here (nothing else uses it).
  window.__llmMemvizMemory = wasm.memory;
}).catch((err) => {
  const app = document.getElementById('app');
  if (app) {
    app.textContent = 'llm-memviz could not start: ' + (err && err.message ? err.message : String(err));
  }
  console.error(err);
});
