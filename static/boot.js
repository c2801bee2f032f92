// Loads the WebAssembly app. Relative URLs, so dist/ works from any path prefix; no inline
// script anywhere, so the page runs under `script-src 'self' 'wasm-unsafe-eval'`. An `async`
// module: the module compiles (off the main thread, as its bytes stream in) while the page is
// still being parsed and painted, and it starts once the document is parsed. While the module
// downloads, the loading line says how much has arrived.
import init from '../pkg/llm_memviz.js';

const url = new URL('../pkg/llm_memviz_bg.wasm', import.meta.url);
// Only a page that shows its loading line (a link with state: static/state.js marked it) counts
// the bytes; the count passes them through this thread, so the prerendered page, busy painting
// its first view, hands the response to the compiler untouched.
const counting = document.documentElement.classList.contains('has-state');
const counted = fetch(url).then((res) => {
  if (!counting || !res.ok || !res.body || typeof ReadableStream !== 'function') return res;
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
      // Looked up each time: the loading line may not have been parsed when the bytes began.
      document.querySelectorAll('#app .loading').forEach((l) => { l.textContent = `Loading llm-memviz… ${kb} KiB of the app received`; });
      c.enqueue(value);
    },
  });
  return new Response(stream, { status: res.status, headers: { 'Content-Type': 'application/wasm' } });
});
const compiled = typeof WebAssembly.compileStreaming === 'function'
  ? WebAssembly.compileStreaming(counted)
  : counted.then((res) => res.arrayBuffer()).then((bytes) => WebAssembly.compile(bytes));
const parsed = document.readyState === 'loading'
  ? new Promise((ok) => document.addEventListener('DOMContentLoaded', ok, { once: true }))
  : Promise.resolve();

Promise.all([compiled, parsed]).then(([module]) => init({ module_or_path: module })).then((wasm) => {
  // The benchmark reads the WebAssembly memory size from here (nothing else uses it).
  window.__llmMemvizMemory = wasm.memory;
}).catch((err) => {
  const app = document.getElementById('app');
  if (app) {
    app.textContent = 'llm-memviz could not start: ' + (err && err.message ? err.message : String(err));
  }
  console.error(err);
});
