// Runs before the first paint (a blocking script in <head>; no inline script, so the strict CSP
// holds). dist/index.html carries the default view prerendered; a link that carries state (any
// key but `v`, e.g. a shared scenario or an embed) must not flash that default, so it marks the
// document and the stylesheet shows the loading line instead until the app mounts.
(function () {
  var keys = location.search.replace(/^\?/, '').split(/[&;]/).filter(function (p) {
    return p && !/^v(=|$)/.test(p);
  });
  if (keys.length) document.documentElement.classList.add('has-state');
})();
