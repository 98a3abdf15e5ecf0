/* Keyboard users must be able to scroll what scrolls sideways (axe rule
 * scrollable-region-focusable): the theme makes wide code blocks focusable only on
 * devices that hover, and wide tables never. Runs on every page view, including
 * instant navigation (document$), and when the window is resized. */
(function () {
  function fix() {
    var wide = document.querySelectorAll(".md-typeset__scrollwrap, .md-typeset pre > code");
    for (var i = 0; i < wide.length; i++) {
      var el = wide[i];
      if (el.scrollWidth > el.clientWidth && !el.hasAttribute("tabindex")) {
        el.tabIndex = 0;
        if (el.classList.contains("md-typeset__scrollwrap")) {
          el.setAttribute("role", "region");
          el.setAttribute("aria-label", "Table, scrolls sideways");
        }
      }
    }
  }
  document$.subscribe(fix);
  addEventListener("resize", fix);
})();
