// llm-memviz embed helper: include once on a page that embeds llm-memviz iframes marked with
// the `data-llm-memviz` attribute. Each embedded view posts
//   { type: "llm-memviz:height", height: <CSS pixels> }
// to its parent once it has drawn and whenever its content height changes; this script sets the
// matching iframe's height, and answers with the host's background,
//   { type: "llm-memviz:host", dark: <bool> }
// so a view without theme= matches the page it sits in. Without it, iframes keep the height
// attribute they were given. It leaves the frame's own styling (its border) alone.
(function () {
  'use strict';
  if (window.__llmMemvizEmbed) return;
  window.__llmMemvizEmbed = true;
  function frames() {
    return Array.prototype.slice.call(document.querySelectorAll('iframe[data-llm-memviz]'));
  }
  // The frame's surroundings are dark when the first opaque background behind it is.
  function hostDark(el) {
    for (var n = el.parentElement; n; n = n.parentElement) {
      var m = /rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)/.exec(getComputedStyle(n).backgroundColor);
      if (m && (m[4] === undefined || Number(m[4]) > 0.5)) {
        return 0.2126 * m[1] + 0.7152 * m[2] + 0.0722 * m[3] < 128;
      }
    }
    return false;
  }
  window.addEventListener('message', function (event) {
    var msg = event.data;
    if (!msg || msg.type !== 'llm-memviz:height' || typeof msg.height !== 'number') return;
    if (!(msg.height > 0 && msg.height < 100000)) return;
    frames().forEach(function (frame) {
      if (frame.contentWindow === event.source) {
        frame.style.height = Math.ceil(msg.height) + 'px';
        event.source.postMessage({ type: 'llm-memviz:host', dark: hostDark(frame) }, '*');
      }
    });
  });
})();
