// Loads the WebAssembly app. Relative URLs, so dist/ works from any path prefix; no inline
// script anywhere, so the page runs under `script-src 'self' 'wasm-unsafe-eval'`.
import init from '../pkg/llm_memviz.js';

init({ module_or_path: new URL('../pkg/llm_memviz_bg.wasm', import.meta.url) }).then((wasm) => {
  // The benchmark reads the WebAssembly memory size from here (nothing else uses it).
  window.__llmMemvizMemory = wasm.memory;
}).catch((err) => {
  const app = document.getElementById('app');
  if (app) {
    app.textContent = 'llm-memviz could not start: ' + (err && err.message ? err.message : String(err));
  }
  console.error(err);
});
