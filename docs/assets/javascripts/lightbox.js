/* Loads GLightbox the first time a reader reaches for a figure (points at, touches or
 * focuses a figure link) and opens it on the figure that was followed. Included, with
 * the glightbox plugin's options, by overrides/lazy-loaders.html, which says why. */
(function () {
  var script = document.currentScript;
  var options = JSON.parse(script.getAttribute("data-glightbox") || "{}");
  var here = script.src;
  var lightbox = null;
  var loading = null;

  function figure(event) {
    var target = event.target;
    return target && target.closest ? target.closest("a.glightbox") : null;
  }

  function add(tag, attributes) {
    return new Promise(function (resolve, reject) {
      var el = document.createElement(tag);
      Object.keys(attributes).forEach(function (name) { el[name] = attributes[name]; });
      el.onload = resolve;
      el.onerror = function () { reject(new Error("could not load " + (el.src || el.href))); };
      document.head.appendChild(el);
    });
  }

  function load() {
    if (!loading) {
      var css = function (name) { return new URL("../stylesheets/" + name, here).href; };
      loading = Promise.all([
        add("link", { rel: "stylesheet", href: css("glightbox.min.css") }),
        add("link", { rel: "stylesheet", href: css("glightbox-material.css") }),
        add("script", { src: new URL("glightbox.min.js", here).href })
      ]).then(function () {
        lightbox = GLightbox(options);
        return lightbox;
      });
      loading.catch(function (error) {
        loading = null;  // try again on the next click
        console.warn(error);
      });
    }
    return loading;
  }

  ["pointerover", "touchstart", "focusin"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      if (!lightbox && figure(event)) load();
    }, { capture: true, passive: true });
  });

  document.addEventListener("click", function (event) {
    var link = figure(event);
    if (!link || lightbox || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    load().then(function (box) { box.open(link); }, function () { location.href = link.href; });
  }, true);

  if (typeof document$ !== "undefined") {
    document$.subscribe(function () { if (lightbox) lightbox.reload(); });
  }
})();
