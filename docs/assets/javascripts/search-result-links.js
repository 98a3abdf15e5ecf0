/* Make the first link of every search result open what matched, highlighted.
 * Material lists each page as its title followed by its matching sections. When only
 * a section matched, the title link is "page/?h=" with no words: it opens the top of
 * the page and highlights nothing (issue #14). This points such a title link at the
 * page's best section, with that section's words to highlight, as the section link
 * below it already does. Nothing is fetched. overrides/lazy-loaders.html loads this file when
 * the reader starts a search (Material only: Zensical's results link to the section). */
(function () {
  var LIST = ".md-search-result__list";
  var LINK = "a.md-search-result__link";

  function highlightOf(link) {
    try { return new URL(link.href).searchParams.get("h"); } catch (e) { return null; }
  }

  function fix(item) {
    var links = item.querySelectorAll(LINK);
    if (links.length < 2 || highlightOf(links[0]) !== "") return;
    for (var i = 1; i < links.length; i++) {
      if (highlightOf(links[i])) {
        links[0].href = links[i].href;
        return;
      }
    }
  }

  function fixAll(root) {
    root.querySelectorAll(".md-search-result__item").forEach(fix);
  }

  var observed = null;
  var observer = new MutationObserver(function (records) {
    records.forEach(function (record) {
      record.addedNodes.forEach(function (node) {
        if (node.nodeType !== 1) return;
        if (node.matches(".md-search-result__item")) fix(node);
        else fixAll(node);
      });
    });
  });

  function watch() {
    var list = document.querySelector(LIST);
    if (!list || list === observed) return;
    observer.disconnect();
    observer.observe(list, { childList: true, subtree: true });
    observed = list;
    fixAll(list);
  }

  // Instant navigation may swap the header: watch the list again after each page, once
  // Material's bundle (which defines document$) has run.
  function follow() {
    watch();
    if (typeof document$ !== "undefined" && document$.subscribe) document$.subscribe(watch);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", follow);
  else follow();
})();
