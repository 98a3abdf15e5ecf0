/* Load search only when the reader shows they want to search.
 * On every first page view, Material starts its search worker (12 KiB compressed)
 * and requests search/search_index.json (70 KiB and growing, more than the rest of
 * the page). This holds both back until the reader focuses or opens search, presses
 * a search shortcut (/, s, f) or follows a shared search link (?q=). Search itself
 * is unchanged: Material's messages to the worker wait in a queue and are delivered,
 * in order, once the worker exists. It must run before Material's bundle, which
 * creates the worker and the request (overrides/partials/javascripts/lazy.html puts
 * it just before the bundle, at the end of the page, where it blocks no rendering).
 * The offline build (file://) loads its index differently and is left alone. */
(function () {
  if (location.protocol === "file:") return;
  var release;
  var ready = new Promise(function (resolve) { release = resolve; });
  var events = ["focusin", "pointerdown", "keydown", "change"];
  function go() {
    events.forEach(function (type) { document.removeEventListener(type, onEvent, true); });
    release();
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
  if (/[?&]q=/.test(location.search)) go();

  /* The index: Material requests it with XMLHttpRequest; hold back its send(). */
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

  /* The worker: Material only posts messages to it and listens for "message", so it
   * gets a stand-in that queues what is posted and starts the real worker later. */
  var RealWorker = window.Worker;
  if (typeof RealWorker !== "function" || typeof EventTarget !== "function") return;
  function LazyWorker(url, options) {
    if (!/\/workers\/search\.[\w.]*\.js(?:[?#]|$)/.test(String(url))) {
      return new RealWorker(url, options);
    }
    url = new URL(url, location.href).href;  // as the page that asked for it resolves it
    var standIn = new EventTarget();
    var queue = [];
    var worker = null;
    standIn.postMessage = function (message, transfer) {
      if (worker) worker.postMessage(message, transfer);
      else if (queue) queue.push([message, transfer]);
    };
    standIn.terminate = function () {
      queue = null;
      if (worker) worker.terminate();
    };
    ready.then(function () {
      if (!queue) return;
      worker = new RealWorker(url, options);
      ["message", "messageerror", "error"].forEach(function (type) {
        worker.addEventListener(type, function (event) {
          var copy = type === "error"
            ? new ErrorEvent("error", { message: event.message, filename: event.filename, lineno: event.lineno })
            : new MessageEvent(type, { data: event.data });
          standIn.dispatchEvent(copy);
        });
      });
      queue.forEach(function (item) { worker.postMessage(item[0], item[1]); });
      queue = null;
    });
    return standIn;
  }
  LazyWorker.prototype = RealWorker.prototype;
  window.Worker = LazyWorker;
})();
