/* Reading on any screen (issue #14), on every page view, including instant navigation
 * (document$), for both engines (Material and Zensical expose document$).
 *
 * 1. Tables that do not fit their column stack as labelled cards. Each cell gets its
 *    column's heading as data-label (shown by handbook.css), and the table gets
 *    data-hb-cards only while its columns would not fit side by side without splitting a
 *    word; ARIA roles then keep it a table for screen readers. Without this script a
 *    wide table scrolls sideways, with a shadow at the edge that has more.
 * 2. Escape in Material's search closes it and drops focus on <body>; focus goes back to
 *    the search control instead (the search box, or the search button on a phone),
 *    without opening search again. Zensical's search is a <dialog>, which already does.
 * 3. Closing the lightbox (GLightbox, however it is loaded) by its close button or a
 *    click outside left focus on <body>: it goes back to the diagram that opened it.
 */
(function () {
  "use strict";

  var ROLES = { TABLE: "table", THEAD: "rowgroup", TBODY: "rowgroup", TR: "row", TH: "columnheader", TD: "cell" };

  function tables() {
    return Array.prototype.slice.call(document.querySelectorAll(".md-typeset table:not([class])"));
  }

  /* Each body cell gets its column's heading as data-label (shown only on cards). */
  function label(table) {
    if (table.hasAttribute("data-hb-labelled")) return;
    var head = table.tHead && table.tHead.rows[0];
    var names = head ? Array.prototype.map.call(head.cells, function (th) {
      return th.textContent.replace(/\s+/g, " ").trim();
    }) : [];
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        Array.prototype.forEach.call(row.cells, function (cell) {
          var name = names[cell.cellIndex];
          if (name) cell.setAttribute("data-label", name);
        });
      });
    });
    table.setAttribute("data-hb-labelled", "");
  }

  /* A table shown as cards is display: block, which some browsers take as "not a table"
   * any more: ARIA roles keep it one. Only then: Material styles th[role=columnheader]
   * as a sortable heading. */
  function cards(table, on) {
    var parts = table.querySelectorAll("thead, tbody, tr, th, td");
    if (on) {
      table.setAttribute("data-hb-cards", "");
      table.setAttribute("role", ROLES.TABLE);
    } else {
      table.removeAttribute("data-hb-cards");
      table.removeAttribute("role");
    }
    for (var i = 0; i < parts.length; i++) {
      var el = parts[i];
      if (!on) el.removeAttribute("role");
      else if (el.tagName === "TH" && el.closest("tbody")) el.setAttribute("role", "rowheader");
      else el.setAttribute("role", ROLES[el.tagName]);
    }
  }

  /* Lay every table out as a table, measure them all, then stack those that overflow
   * (reads first, writes after, so the page lays out twice at most). */
  function fit() {
    var all = tables();
    all.forEach(function (table) {
      label(table);
      if (table.hasAttribute("data-hb-cards")) cards(table, false);
    });
    var wide = all.filter(function (table) {
      var box = table.closest(".md-typeset__scrollwrap") || table.parentElement;
      return table.scrollWidth > table.clientWidth + 1 || box.scrollWidth > box.clientWidth + 1;
    });
    wide.forEach(function (table) {
      cards(table, true);
    });
  }

  var width = 0;
  function refit() {
    if (window.innerWidth !== width) {
      width = window.innerWidth;
      fit();
    }
  }

  /* Material's search: Escape returns focus to the search control. */
  var refocusing = false;
  /* Material shows the search box in the header from 60em up; below, a search button. */
  function searchControl(input) {
    if (matchMedia("(min-width: 60em)").matches) return input;
    var button = document.querySelector(".md-header label.md-header__button[for='__search']");
    if (button) {
      if (!button.hasAttribute("tabindex")) button.setAttribute("tabindex", "-1");
      return button;
    }
    return null;
  }

  function watchSearch() {
    var toggle = document.getElementById("__search");
    var input = document.querySelector("input.md-search__input");
    if (!toggle || !input || input.hasAttribute("data-hb-escape")) return;
    input.setAttribute("data-hb-escape", "");
    /* Material opens search when the box gains focus (a focusin listener on <body>);
     * while focus is put back, that event stops at the form. */
    input.form.addEventListener("focusin", function (event) {
      if (refocusing) event.stopPropagation();
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" || !toggle.checked) return;
      setTimeout(function () {
        if (toggle.checked || (document.activeElement && document.activeElement !== document.body)) return;
        var control = searchControl(input);
        if (!control) return;
        refocusing = true;
        control.focus();
        refocusing = false;
      }, 0);
    });
    /* Typing in the box after Escape opens search again, the way Material opens it: a
     * click on its toggle, whose change event tells Material's components. Setting
     * `checked` alone opened the dialog but left Material's result list hidden (it
     * follows the change events); text entered in the moment between focusing the box
     * and Material's own focus handler (1 ms later) hit the same gap. */
    input.addEventListener("input", function () {
      if (!toggle.checked) toggle.click();
    });
  }

  /* The lightbox: remember the diagram link that opens it; when GLightbox removes its
   * container and focus fell to <body>, focus that link again. */
  var opener = null;
  function remember(el) {
    var link = el && el.closest ? el.closest("a.glightbox") : null;
    if (link) opener = link;
  }
  document.addEventListener("click", function (event) { remember(event.target); }, true);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" || event.key === " ") remember(document.activeElement);
  }, true);
  new MutationObserver(function (records) {
    records.forEach(function (record) {
      Array.prototype.forEach.call(record.removedNodes, function (node) {
        if (!opener || !node.classList || !node.classList.contains("glightbox-container")) return;
        if (!document.activeElement || document.activeElement === document.body) {
          opener.focus({ preventScroll: true });
        }
        opener = null;
      });
    });
  }).observe(document.body, { childList: true });

  function setup() {
    width = 0;
    refit();
    watchSearch();
  }

  if (typeof document$ !== "undefined") document$.subscribe(setup);
  else document.addEventListener("DOMContentLoaded", setup);
  addEventListener("resize", refit);
})();
