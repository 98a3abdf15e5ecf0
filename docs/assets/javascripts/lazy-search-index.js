/* Load the search index only when the reader shows they want to search.
 * Material requests search/search_index.json on every first page view (68 KiB
 * compressed, more than the rest of the page). This holds that one request back
 * until the reader focuses or opens search, presses a search shortcut (/, s, f)
 * or follows a shared search link (?q=) or a search result to highlight (?h=).
 * Search itself is unchanged. The offline build (file://) loads its index
 * differently and is left alone.
 * At the same moment it loads search-result-links.js (issue #14), which only matters
 * once there are results: loaded with the page, its request cost the chapter page a
 * Lighthouse point on mobile. Offline it loads at once. */
(function () {
  var self = document.currentScript && document.currentScript.src;
  function resultLinks() {
    if (!self) return;
    var script = document.createElement("script");
    script.src = self.replace(/lazy-search-index\.js(?:[?#].*)?$/, "search-result-links.js");
    document.head.appendChild(script);
  }
  if (location.protocol === "file:") { resultLinks(); return; }
  var release;
  var ready = new Promise(function (resolve) { release = resolve; });
  var events = ["focusin", "pointerdown", "keydown", "change"];
  function go() {
    events.forEach(function (type) { document.removeEventListener(type, onEvent, true); });
    release();
    resultLinks();
  }
  function onEvent(event) {
    if (event.type === "keydown") {
      if (["/", "s", "f", "S", "F"].indexOf(event.key) >= 0) go();
      return;
    }
    var target = event.target;
    if (target && target.closest && target.closest(".md-search, [for='__search'], #__search")) go();
  }
  events.forEach(function (type) { document.addEventListener(type, onEvent, true); });
  // A shared search (?q=), or a search result to highlight (?h=, which needs the index).
  if (/[?&](?:q=|h=[^&])/.test(location.search)) go();

  var open = XMLHttpRequest.prototype.open;
  var send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.open = function (method, url) {
    this.hbSearchIndex = /search\/search_index\.json(?:[?#]|$)/.test(String(url));
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    var xhr = this, args = arguments;
    if (!xhr.hbSearchIndex) return send.apply(xhr, args);
    ready.then(function () { send.apply(xhr, args); });
  };
})();
