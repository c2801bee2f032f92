// llm-memviz embed helper: include once on a page that embeds llm-memviz iframes marked with
// the `data-llm-memviz` attribute. Each embedded view posts
//   { type: "llm-memviz:height", height: <CSS pixels> }
// to its parent whenever its content height changes; this script sets the matching iframe's
// height. Without it, iframes keep the height attribute they were given.
(function () {
  'use strict';
  if (window.__llmMemvizEmbed) return;
  window.__llmMemvizEmbed = true;
  function frames() {
    return Array.prototype.slice.call(document.querySelectorAll('iframe[data-llm-memviz]'));
  }
  window.addEventListener('message', function (event) {
    var msg = event.data;
    if (!msg || msg.type !== 'llm-memviz:height' || typeof msg.height !== 'number') return;
    if (!(msg.height > 0 && msg.height < 100000)) return;
    frames().forEach(function (frame) {
      if (frame.contentWindow === event.source) {
        frame.style.height = Math.ceil(msg.height) + 'px';
        frame.style.border = '0';
      }
    });
  });
})();
