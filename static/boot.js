// Loads the WebAssembly app. Relative URLs, so dist/ works from any path prefix; no inline
// script anywhere, so the page runs under `script-src 'self' 'wasm-unsafe-eval'`.
import init from '../pkg/llm_memviz.js';

function start() {
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
}

// A bare URL shows the prerendered default view: let it paint before the module is compiled and
// mounted on the same cores (a frame, or 50 ms where frames are not drawn, e.g. a hidden tab).
// A link with state shows only the loading line until the app mounts, so it starts at once.
if (document.documentElement.classList.contains('has-state')) {
  start();
} else {
  let started = false;
  const once = () => {
    if (!started) {
      started = true;
      start();
    }
  };
  requestAnimationFrame(() => setTimeout(once, 0));
  setTimeout(once, 50);
}
