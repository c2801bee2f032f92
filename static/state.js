// Runs before the first paint (a blocking script in <head>; no inline script, so the strict CSP
// holds). dist/index.html carries the default view prerendered; a link that carries state (any
// key but `v`, e.g. a shared scenario or an embed) must not flash that default, so it marks the
// document and the stylesheet shows the loading line instead until the app mounts. The theme is
// set here too (theme= in the link, else the reader's system), so neither the loading line nor
// the first view flashes light in the dark. If the app has not started after a while (a frame
// sandboxed without allow-same-origin, a blocked network or CSP), the loading line says so and
// links to the view.
(function () {
  var q = location.search.replace(/^\?/, '');
  var keys = q.split(/[&;]/).filter(function (p) {
    return p && !/^v(=|$)/.test(p);
  });
  var root = document.documentElement;
  if (keys.length) root.classList.add('has-state');
  var theme = (/(?:^|[&;])theme=(light|dark)(?:[&;]|$)/i.exec(q) || [])[1];
  var dark = theme ? theme.toLowerCase() === 'dark' : !!(window.matchMedia && matchMedia('(prefers-color-scheme: dark)').matches);
  root.setAttribute('data-theme', dark ? 'dark' : 'light');
  // After the first frame is painted (a frame's callbacks run before its paint): the app then
  // mounts over the first view at once rather than waiting for a frame of its own.
  requestAnimationFrame(function () {
    setTimeout(function () {
      window.__llmMemvizPainted = true;
    }, 0);
  });
  setTimeout(function () {
    var app = document.getElementById('app');
    // Started: the module is running (boot.js keeps its memory), or the app has mounted.
    if (!app || window.__llmMemvizMemory || app.querySelector('.app:not(.prerender)')) return;
    var p = document.createElement('p');
    p.className = 'loading';
    p.setAttribute('role', 'alert');
    p.appendChild(document.createTextNode('llm-memviz could not start here (a frame sandboxed without allow-same-origin, a blocked network or a strict CSP stops it). '));
    var a = document.createElement('a');
    a.href = location.href.replace(/([?&;])embed=1(&|;|$)/, '$1').replace(/[?&;]$/, '');
    a.target = '_blank';
    a.rel = 'noopener';
    a.textContent = 'Open the view on its own page ↗';
    p.appendChild(a);
    app.textContent = '';
    app.appendChild(p);
  }, 8000);
})();
