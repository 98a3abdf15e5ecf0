"""Reading on any screen (issue #14), measured in headless Chromium on the built site.

Each test checks one capability on every page (or every diagram), at the widths a
reader uses, so that a defect cannot come back on a page nobody looked at:

- tables: no word of a cell is ever split across lines (320, 390, 768, 1280 px); a table
  whose columns do not fit stacks as labelled cards; without JavaScript it scrolls, with
  a visible cue at the edge;
- one type scale: no text of a page under 15 px; the heading permalink (¶) never sits on
  a line of its own; the header's site name is whole on a phone;
- diagrams: the smallest text at least 11 px at 390 px and never enlarged; in dark mode
  dark, with text at 4.5:1 or more; the lightbox shows them as large as the screen allows
  and gives focus back on closing;
- keyboard and contrast: no Tab stop is invisible; Escape from search returns focus to the
  search control; hovered and focused buttons at 4.5:1 or more;
- around a page: a 404 page that helps, from any depth; social-card meta tags and images.

The page-wide measurements run once per width (the `survey` fixture) and each test reads
its part. Tests marked any_engine also run on the Zensical build (make zensical).
"""
from __future__ import annotations

import functools
import html as html_lib
import http.server
import io
import re
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from conftest import SITE_PREFIX, _QuietHandler
from test_browser import DESKTOP, Watch, focused, load, new_context, origin_of, poll, settle, wait_until

import check_diagrams

pytestmark = pytest.mark.browser

WIDTHS = (320, 390, 768, 1280)
PHONES = (320, 390)
MIN_TEXT_PX = 15            # every text a reader reads in the content
MIN_DIAGRAM_TEXT_PX = 11    # the smallest text of a diagram on a 390 px phone
MIN_CONTRAST = 4.5
DIAGRAM_PAGE = "eq/"
REPO = Path(__file__).resolve().parent.parent
# Text under 15 px that is not reading text: footnote markers (superscript by convention),
# the heading permalink, and text drawn at 0 px to hide it (Material's footnote back-link).
SMALL_TEXT_EXEMPT = "sup, .headerlink, .md-source-file"


def viewport(width: int) -> dict:
    phone = width < 600
    return {"viewport": {"width": width, "height": 800}, "is_mobile": phone, "has_touch": phone}


# --- one pass over every page per width ---------------------------------------

# assets/javascripts/reading.js has labelled and fitted every table
TABLES_READY = "!document.querySelector('.md-typeset table:not([class]):not([data-hb-labelled])')"

SURVEY = r"""(exempt) => {
  const out = {split: [], overflow: [], small: [], permalink: [], header: []};
  const article = document.querySelector('.md-content__inner') || document.querySelector('article');
  if (!article) return out;
  const vw = document.documentElement.clientWidth;
  const name = (table) => (table.querySelector('th, td') || table).textContent.trim().slice(0, 30);

  // Every word of every table cell on one line box. Words break only where a hyphen,
  // a dash, a slash or a soft hyphen (the hyphenation points) allows; code is not prose.
  const WORD = /[^\s\-\u00ad\u2010-\u2015\/]+/g;
  for (const table of article.querySelectorAll('table')) {
    for (const cell of table.querySelectorAll('td, th')) {
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      for (let node; (node = walker.nextNode());) {
        if (node.parentElement.closest('code, kbd, pre')) continue;
        for (const m of node.data.matchAll(WORD)) {
          const range = document.createRange();
          range.setStart(node, m.index);
          range.setEnd(node, m.index + m[0].length);
          const lines = new Set([...range.getClientRects()].filter(r => r.width > 0.5)
                                .map(r => Math.round(r.bottom)));
          if (lines.size > 1) out.split.push(`"${m[0]}" (table "${name(table)}")`);
        }
      }
    }
    // A table fits its column (or stacks as cards): nothing to scroll sideways.
    const boxes = [table, table.closest('.md-typeset__scrollwrap')].filter(Boolean);
    if (boxes.some(b => b.scrollWidth > b.clientWidth + 1)) {
      out.overflow.push(`table "${name(table)}"` + (table.hasAttribute('data-hb-cards') ? ' (as cards)' : ''));
    }
  }

  // Every text a reader reads is at least 15 px.
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
  const small = new Map();
  for (let node; (node = walker.nextNode());) {
    if (!node.data.trim()) continue;
    const el = node.parentElement;
    if (el.closest(exempt) || !el.getClientRects().length) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size > 0 && size < 15) {
      const key = `${size}px <${el.tagName.toLowerCase()}${el.className ? ' class="' + el.className + '"' : ''}>`;
      small.set(key, small.has(key) ? small.get(key) : node.data.trim().slice(0, 40));
    }
  }
  out.small = [...small].map(([k, v]) => `${k} "${v}"`);

  // The heading permalink (¶) shares a line with the heading's last word, inside the page.
  for (const link of article.querySelectorAll('.headerlink')) {
    const heading = link.parentElement;
    const own = [...link.getClientRects()].filter(r => r.width > 0);
    let last = null;
    const texts = document.createTreeWalker(heading, NodeFilter.SHOW_TEXT);
    for (let n; (n = texts.nextNode());) if (!link.contains(n) && n.data.trim()) last = n;
    if (!last || !own.length) continue;
    const end = last.data.trimEnd().length;
    const range = document.createRange();
    range.setStart(last, end - 1);
    range.setEnd(last, end);
    const r = [...range.getClientRects()].pop();
    const mine = own[0];
    const label = heading.textContent.replace('\u00b6', '').trim().slice(0, 50);
    if (Math.abs((r.top + r.bottom) / 2 - (mine.top + mine.bottom) / 2) > r.height / 2) {
      out.permalink.push(`"${label}": the permalink is on a line of its own`);
    } else if (mine.right > vw + 0.5) {
      out.permalink.push(`"${label}": the permalink is past the right edge`);
    }
  }

  // The header's site name and page title: not cut short (ellipsis or clipping).
  document.querySelectorAll('.md-header__topic').forEach((topic, i) => {
    const text = topic.querySelector('.md-ellipsis') || topic;
    const cut = text.scrollWidth > text.clientWidth + 1 || text.scrollHeight > text.clientHeight + 1;
    out.header.push({which: i === 0 ? 'site name' : 'page title', text: text.textContent.trim(), cut});
  });
  return out;
}"""


@pytest.fixture(scope="module")
def survey(visits):
    """survey(width) -> {page: measurements} for every page, from the one visit to every
    page at that width (conftest.py: visits; test_browser.SURVEY_SCHEME names its scheme)."""
    from test_browser import SURVEY_SCHEME

    def at(width: int) -> dict:
        return {rel: seen["survey"] for rel, seen in visits(width, SURVEY_SCHEME[width]).items()}
    return at


def report(results: dict, key: str) -> list[str]:
    return [f"/{rel}: {item}" for rel, found in results.items() for item in found[key]]


# --- tables -------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.any_engine
@pytest.mark.parametrize("width", WIDTHS)
def test_no_word_of_a_table_cell_is_split(survey, width):
    """Fails with handbook.css's old `overflow-wrap: anywhere` ("Self-awarenes s")."""
    found = report(survey(width), "split")
    assert not found, f"{len(found)} words split across lines at {width} px:\n" + "\n".join(found[:40])


@pytest.mark.slow
@pytest.mark.any_engine
@pytest.mark.parametrize("width", WIDTHS)
def test_every_table_fits_or_stacks_as_cards(survey, width):
    """Fails without reading.js's cards (the eq/ table then scrolls at 390 px)."""
    found = report(survey(width), "overflow")
    assert not found, f"tables wider than their column at {width} px:\n" + "\n".join(found)


def test_cards_label_every_cell_and_keep_table_semantics(chromium, site_url):
    """Cards repeat each column's heading and carry ARIA table roles; a table shown as a
    table carries none (Material would draw its headings as sort buttons, a line taller)."""
    context = new_context(chromium, **viewport(390))
    page = context.new_page()
    load(page, site_url + "eq/")
    wait_until(page, "document.querySelector('table[data-hb-cards]')")
    cards = page.evaluate("""() => {
      const t = document.querySelector('article table[data-hb-cards]');
      const heads = [...t.tHead.rows[0].cells].map(c => c.textContent.trim());
      const row = t.tBodies[0].rows[0];
      return {heads, labels: [...row.cells].map(c => c.dataset.label),
              shown: [...row.cells].map(c => getComputedStyle(c, '::before').content),
              roles: [t.getAttribute('role'), row.getAttribute('role'), row.cells[0].getAttribute('role')],
              // not announced as "Table, scrolls sideways" (scrollable-regions.js runs after the cards)
              scrolls: t.closest('.md-typeset__scrollwrap').hasAttribute('tabindex'),
              display: getComputedStyle(row).display};
    }""")
    load(page, site_url)  # at 1280 px the home page's table is a table: headings are not buttons
    page.set_viewport_size({"width": 1280, "height": 800})
    wait_until(page, "!document.querySelector('article table[data-hb-cards]')")
    sortable = page.evaluate("""() => [...document.querySelectorAll('article th')].filter(th =>
      getComputedStyle(th).cursor === 'pointer'
      || !['none', 'normal'].includes(getComputedStyle(th, '::after').content)).map(th => th.textContent.trim())""")
    context.close()
    assert sortable == [], f"column headings that look sortable (Material's th[role=columnheader]): {sortable}"
    assert cards["labels"] == cards["heads"], cards
    assert all(cards["heads"][i] in shown for i, shown in enumerate(cards["shown"])), cards["shown"]
    assert cards["roles"] == ["table", "row", "cell"] and cards["display"] == "block", cards
    assert not cards["scrolls"], "a table shown as cards is still a 'scrolls sideways' Tab stop"


def test_without_javascript_a_wide_table_scrolls_with_a_visible_cue(chromium, site_url):
    """No script: Material does not wrap tables and reading.js makes no cards, so the table
    scrolls by itself. Its edge must look different with handbook.css's scroll shadows
    than without them. Fails when the shadows are taken out of handbook.css."""
    from PIL import Image, ImageChops

    context = new_context(chromium, **viewport(390))
    page = context.new_page()
    page.route("**/*.js", lambda route: route.abort())
    page.goto(site_url + "eq/", wait_until="load")
    wide = page.evaluate("""() => [...document.querySelectorAll('article table')]
      .map((t, i) => t.scrollWidth > t.clientWidth + 1 ? i : -1).filter(i => i >= 0)""")
    assert wide, "expected the eq/ page's four-column table to scroll at 390 px without JavaScript"
    differences = []
    for index in wide:
        table = page.locator("article table").nth(index)
        table.scroll_into_view_if_needed()
        box = table.bounding_box()
        clip = {"x": box["x"] + box["width"] - 14, "y": box["y"] + 4, "width": 12,
                "height": min(box["height"] - 8, 300)}
        with_cue = Image.open(io.BytesIO(page.screenshot(clip=clip))).convert("L")
        table.evaluate("t => t.style.setProperty('background', 'none', 'important')")
        without = Image.open(io.BytesIO(page.screenshot(clip=clip))).convert("L")
        table.evaluate("t => t.style.removeProperty('background')")
        diff = ImageChops.difference(with_cue, without)
        differences.append(sum(diff.get_flattened_data()) / (diff.width * diff.height))
    context.close()
    assert all(d > 2 for d in differences), f"no visible scroll cue at the right edge (mean difference {differences})"


# --- one type scale -----------------------------------------------------------

@pytest.mark.slow
@pytest.mark.any_engine
@pytest.mark.parametrize("width", [390, 1280])
def test_no_text_of_a_page_is_under_15px(survey, width):
    """Tables, admonitions ("Key takeaways"), footnotes, captions and code included.
    Fails with Material's 12.8 px for tables, admonitions and footnotes."""
    found = report(survey(width), "small")
    assert not found, f"text under {MIN_TEXT_PX} px at {width} px:\n" + "\n".join(found[:40])


@pytest.mark.slow
@pytest.mark.any_engine
@pytest.mark.parametrize("width", WIDTHS)
def test_heading_permalink_never_sits_on_a_line_of_its_own(survey, width):
    """Fails with Material's inline-block permalink (blank lines under the home page's
    H1 at 390 px and under headings of the sources page)."""
    found = report(survey(width), "permalink")
    assert not found, "\n".join(found)


@pytest.mark.slow
@pytest.mark.any_engine
@pytest.mark.parametrize("width", PHONES)
def test_header_shows_the_whole_site_name_on_a_phone(survey, width):
    """Fails with Material's one-line header ("The Product Mana…"). Page titles must be
    whole too at 390 px; at 320 px a title of more than about 60 characters may end in
    an ellipsis after three lines."""
    cut = []
    for rel, found in survey(width).items():
        for topic in found["header"]:
            if topic["cut"] and (topic["which"] == "site name" or width >= 390):
                cut.append(f"/{rel}: the {topic['which']} {topic['text']!r} is cut short")
    assert not cut, "\n".join(sorted(set(cut)))


# --- diagrams -----------------------------------------------------------------

def diagram_pages(built_site: Path, site_pages: list[str]) -> list[str]:
    shows = re.compile(r'<img\b[^>]*\bsrc="[^"]*assets/diagrams/')
    return [rel for rel in site_pages
            if shows.search((built_site / (rel + "index.html" if rel.endswith("/") or not rel else rel))
                            .read_text(encoding="utf-8"))]


@functools.cache
def drawing(path: Path) -> tuple[float, float, float]:
    """(viewBox width, width attribute, smallest text in px) of a diagram file."""
    root = check_diagrams.ET.fromstring(path.read_text(encoding="utf-8"))
    box = check_diagrams.size(root)
    width = check_diagrams._number(root.get("width")) or 0.0
    return box[0], width, check_diagrams.min_font_size(path)


@pytest.mark.slow
@pytest.mark.any_engine
@pytest.mark.parametrize("width", [390, 1280])
def test_every_diagram_is_readable_and_never_enlarged(chromium, site_url, built_site, site_pages, width):
    """The smallest text of every diagram at least 11 px on a 390 px phone (rendered width /
    viewBox width x the drawing's smallest font size), and no diagram drawn wider than its
    own size. Fails with the old `width: 100%; max-width: 800px` (enlarged at 1280 px)."""
    pages = diagram_pages(built_site, site_pages)
    assert len(pages) >= 5, pages
    context = new_context(chromium, **viewport(width))
    page = context.new_page()
    problems, seen = [], 0
    for rel in pages:
        load(page, site_url + rel)
        for src, shown in page.evaluate("""() => [...document.querySelectorAll('article img[src*="assets/diagrams/"]')]
            .map(i => [new URL(i.src).pathname, i.getBoundingClientRect().width])"""):
            seen += 1
            file = built_site / src.split(f"/{SITE_PREFIX}/", 1)[1]
            box_width, own_width, smallest = drawing(file)
            text = shown / box_width * smallest
            if width == 390 and text < MIN_DIAGRAM_TEXT_PX:
                problems.append(f"/{rel}: {file.name}: smallest text {text:.1f} px on screen")
            if shown > own_width + 0.5:
                problems.append(f"/{rel}: {file.name}: drawn {shown:.0f} px wide, larger than its {own_width:g} px")
    context.close()
    assert seen >= len(pages)
    assert not problems, "\n".join(problems)


def luminance(color) -> float:
    def channel(v):
        v /= 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4
    r, g, b = color[:3]
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a, b) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def diagram_text_contrast(page, svg: str, css_filter: str) -> tuple[list[tuple[float, str]], tuple]:
    """Draw `svg` with `css_filter` (as the site does in that scheme) at 2x; for each <text>,
    (contrast of its ink against what lies under it, text). Also the drawing's main colour.

    The ground under a text is the commonest colour of its box drawn with every text hidden;
    its ink, the pixel of the box that differs most from that ground (anti-aliasing only
    ever lowers contrast)."""
    from PIL import Image

    page.set_content(f'<body style="margin:0;background:#fff"><div id="hb-drawing" '
                     f'style="display:inline-block;filter:{css_filter}">{svg}</div></body>')
    texts = page.evaluate("""() => { const o = document.getElementById('hb-drawing').getBoundingClientRect();
      return [...document.querySelectorAll('#hb-drawing text')].map(t => { const r = t.getBoundingClientRect();
        return [t.textContent.trim(), r.x - o.x, r.y - o.y, r.width, r.height]; }); }""")
    drawing_box = page.locator("#hb-drawing")
    shown = Image.open(io.BytesIO(drawing_box.screenshot())).convert("RGB")
    page.evaluate("() => document.querySelectorAll('#hb-drawing text').forEach(t => t.style.visibility = 'hidden')")
    ground = Image.open(io.BytesIO(drawing_box.screenshot())).convert("RGB")
    main = Counter(ground.get_flattened_data()).most_common(1)[0][0]
    found = []
    for text, x, y, w, h in texts:
        box = tuple(round(v * 2) for v in (x, y, x + w, y + h))
        drawn, bare = shown.crop(box).get_flattened_data(), ground.crop(box).get_flattened_data()
        under = Counter(bare).most_common(1)[0][0]
        ink = {a for a, b in zip(drawn, bare, strict=True) if a != b}  # each colour measured once
        found.append((max((contrast(c, under) for c in ink), default=1.0), text))  # no ink: invisible
    return found, main


@pytest.mark.slow
@pytest.mark.any_engine
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_diagram_text_keeps_its_contrast_in_both_schemes(chromium, site_url, built_site, scheme):
    """axe cannot see inside an <img>: draw each diagram with the filter the site gives it
    in this scheme and measure every text. In dark mode the drawing must be dark too (no
    bright white card). Fails when the dark-mode filter is removed (white cards) or made
    weaker (invert(0.6): text at 1.8:1)."""
    context = new_context(chromium, color_scheme=scheme, viewport=DESKTOP)
    page = context.new_page()
    load(page, site_url + DIAGRAM_PAGE)
    css_filter = page.evaluate("""() => getComputedStyle(
        document.querySelector('article img[src*="assets/diagrams/"]')).filter""")
    context.close()
    context = chromium.new_context(device_scale_factor=2, viewport={"width": 600, "height": 900})
    page = context.new_page()
    problems, drawings = [], sorted((built_site / "assets" / "diagrams").glob("*.svg"))
    assert drawings
    for path in drawings:
        found, main = diagram_text_contrast(page, path.read_text(encoding="utf-8"), css_filter)
        assert found, f"{path.name}: no text measured"
        problems += [f"{path.name}: {text!r} at {ratio:.2f}:1" for ratio, text in found if ratio < MIN_CONTRAST]
        if scheme == "dark" and luminance(main) > 0.05:
            problems.append(f"{path.name}: a bright card in dark mode (main colour {main}, filter {css_filter})")
    context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.slow
@pytest.mark.any_engine
@pytest.mark.parametrize("width", [390, 1280])
def test_lightbox_shows_each_diagram_as_large_as_the_screen_and_gives_focus_back(
        chromium, site_url, built_site, site_pages, width):
    """Opened from the keyboard and closed with Escape; opened with a click (a tap on a
    phone) and closed with the close button. The drawing fills the screen in one direction
    (at least as large as on the page), and focus returns to the diagram's link. Fails with
    GLightbox's own sizing (480 px wide at 1280 px where 900 fit) and, for the close button,
    without reading.js (focus fell to <body>)."""
    context = new_context(chromium, **viewport(width))
    page = context.new_page()
    watch = Watch(page, origin_of(site_url))
    problems = []
    vw, vh = width, 800
    for rel in diagram_pages(built_site, site_pages):
        load(page, site_url + rel)
        for index in range(page.locator("article a.glightbox").count()):
            trigger = page.locator("article a.glightbox").nth(index)
            name = trigger.get_attribute("href").rsplit("/", 1)[-1]
            trigger.scroll_into_view_if_needed()
            on_page = trigger.locator("img").bounding_box()["width"]
            by_mouse = index == 0
            if by_mouse and width < 600:
                trigger.locator("img").tap()
            elif by_mouse:
                trigger.locator("img").click()
            else:
                trigger.focus()
                page.keyboard.press("Enter")
            slide = page.locator(".glightbox-container .gslide.current img")
            slide.wait_for(state="visible", timeout=5000)
            settle(page)  # the opening animation
            size = slide.evaluate("""i => { const r = i.getBoundingClientRect();
              return [r.x, r.y, r.width, r.height, i.naturalWidth, i.naturalHeight]; }""")
            x, y, w, h, nw, nh = size
            drawn = min(w, h * nw / nh)
            fit = min(vw, vh * nw / nh)
            if drawn < min(on_page, fit) - 1 or drawn < 0.97 * fit:
                problems.append(f"/{rel}: {name}: drawn {drawn:.0f} px wide in the lightbox; "
                                f"the screen fits {fit:.0f}, the page shows {on_page:.0f}")
            if x < -1 or y < -1 or x + w > vw + 1 or y + h > vh + 1:
                problems.append(f"/{rel}: {name}: the lightbox image leaves the screen {size[:4]}")
            if by_mouse:
                close = page.locator(".glightbox-container .gclose")
                close.tap() if width < 600 else close.click()
            else:
                page.keyboard.press("Escape")
            page.locator(".glightbox-container").wait_for(state="detached", timeout=5000)
            f = focused(page)
            how = "the close button" if by_mouse else "Escape"
            if "glightbox" not in f["cls"] or not f["href"].endswith(name):
                problems.append(f"/{rel}: {name}: after {how}, focus is on {f['tag']} {f['cls']!r}, not the diagram")
    context.close()
    assert not problems, "\n".join(problems)
    assert watch.problems() == []


# --- keyboard and contrast ----------------------------------------------------

@pytest.mark.parametrize("rel", ["", "eq/", "sources/"])
def test_no_tab_stop_is_invisible(chromium, site_url, rel):
    """The first 12 Tab stops of a page (skip link, header, search, navigation) are all on
    screen and of some size. Fails without handbook.css's rule for closed search results
    (the 5th Tab landed on a 0 px results box)."""
    context = new_context(chromium, viewport=DESKTOP)
    page = context.new_page()
    load(page, site_url + rel)
    hidden = []
    for stop in range(1, 13):
        page.keyboard.press("Tab")
        settle(page)  # fade-in transitions (the skip link)
        state = page.evaluate("""() => { let e = document.activeElement;
          while (e && e.shadowRoot && e.shadowRoot.activeElement) e = e.shadowRoot.activeElement;
          const r = e.getBoundingClientRect();
          // A visually hidden radio button shows its focus on its label (the palette toggle)
          const label = e.type === 'radio' && e.nextElementSibling && e.nextElementSibling.tagName === 'LABEL'
            ? e.nextElementSibling : null;
          const box = label ? label.getBoundingClientRect() : r;
          return {tag: e.tagName, cls: String(e.className), w: box.width, h: box.height,
                  inside: box.bottom > 0 && box.right > 0 && box.top < innerHeight && box.left < innerWidth,
                  visible: (label || e).checkVisibility({opacityProperty: true, visibilityProperty: true})}; }""")
        if state["tag"] == "BODY":
            continue
        if state["w"] < 1 or state["h"] < 1 or not state["inside"] or not state["visible"]:
            hidden.append(f"Tab {stop}: {state}")
    context.close()
    assert not hidden, f"/{rel}: invisible Tab stops:\n" + "\n".join(hidden)


def open_search_and_escape(page, site_url, rel: str, engine: str, start: str) -> dict:
    """Open search (Tab to it, or the / shortcut), type, press Escape; return the focus."""
    load(page, site_url + rel)
    if start == "tab":
        for _ in range(15):
            page.keyboard.press("Tab")
            if page.evaluate("""() => { const e = document.activeElement;
                return e.matches('input.md-search__input, .md-search__button, label[for="__search"]'); }"""):
                break
        else:
            pytest.fail("no Tab stop opens search")
        if engine == "zensical":
            page.keyboard.press("Enter")
    else:
        page.keyboard.press("/")
    def is_open() -> bool:  # Material's toggle, or Zensical's search box shown (in a shadow root: a locator finds it)
        if engine == "zensical":
            return page.locator("dialog input[role=combobox]").is_visible()
        return page.evaluate("__search.checked")

    def until(want: bool):
        deadline = time.monotonic() + 5
        while is_open() != want:
            assert time.monotonic() < deadline, f"search did not {'open' if want else 'close'}"
            time.sleep(0.05)

    until(True)  # search has opened
    settle(page)
    page.keyboard.type("mentor", delay=20)
    page.keyboard.press("Escape")
    until(False)  # search has closed
    settle(page)
    return page.evaluate("""() => { const e = document.activeElement; const r = e.getBoundingClientRect();
      const toggle = document.getElementById('__search');
      return {tag: e.tagName, cls: String(e.className), forSearch: e.getAttribute('for') === '__search',
              open: toggle ? toggle.checked : !!document.querySelector('dialog[open]'),
              shown: r.width > 0 && r.height > 0 && r.right > 0 && r.left < innerWidth,
              outline: getComputedStyle(e).outlineStyle !== 'none'}; }""")


@pytest.mark.any_engine
@pytest.mark.parametrize("start", ["tab", "shortcut"])
def test_escape_from_search_returns_focus_to_the_search_control(chromium, site_url, engine, start):
    """Fails without reading.js's Escape handler (focus dropped on <body>)."""
    context = new_context(chromium, viewport=DESKTOP)
    page = context.new_page()
    f = open_search_and_escape(page, site_url, "role/", engine, start)
    context.close()
    assert not f["open"], "Escape did not close search"
    if engine == "zensical" and start == "shortcut":
        assert f["tag"] == "BODY", f  # a <dialog> returns focus where it was: here, nowhere
        return
    control = "md-search__button" if engine == "zensical" else "md-search__input"
    assert control in f["cls"] and f["shown"], f"focus after Escape: {f}"


def test_typing_after_escape_opens_search_with_its_results(chromium, site_url):
    """After Escape, focus is back in the box (reading.js); typing there opens search again
    and shows the results. Fails with reading.js setting the toggle's `checked` instead of
    clicking it: the dialog opened, but Material's result list, which follows the toggle's
    change events, stayed hidden (what made test_first_search_result_opens_the_match_
    highlighted fail now and then, when text came in before Material's focus handler ran)."""
    context = new_context(chromium, viewport=DESKTOP)
    page = context.new_page()
    f = open_search_and_escape(page, site_url, "role/", "mkdocs", "shortcut")
    assert not f["open"] and "md-search__input" in f["cls"], f
    page.keyboard.press("Control+a")
    page.keyboard.type("stakeholder")
    link = page.locator("li.md-search-result__item > a").first
    link.wait_for(state="attached", timeout=10000)
    shown = poll(page, "(() => { const l = document.querySelector('li.md-search-result__item > a');"
                       " return !!l && l.getBoundingClientRect().height > 0; })()")
    state = page.evaluate("""() => ({open: __search.checked,
      listHidden: document.querySelector('.md-search-result__list').hidden})""")
    context.close()
    assert state["open"] and not state["listHidden"] and shown, f"after typing: {state}, result shown: {shown}"


def test_escape_from_search_on_a_phone_returns_focus_to_the_search_button(chromium, site_url):
    """Below 60em Material shows a search button, not a box: focus goes there, visibly."""
    context = new_context(chromium, **viewport(390))
    page = context.new_page()
    f = open_search_and_escape(page, site_url, "role/", "mkdocs", "shortcut")
    context.close()
    assert not f["open"] and f["forSearch"] and f["shown"] and f["outline"], f"focus after Escape: {f}"


@pytest.mark.any_engine
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_hovered_and_focused_buttons_keep_4_5_to_1(chromium, site_url, scheme):
    """Buttons appear on the home page only when downloads are built, so this puts a
    primary and a plain button into a page. Fails with Material's accent colours
    (4.26:1 light, 3.36:1 dark)."""
    context = new_context(chromium, color_scheme=scheme, viewport=DESKTOP)
    page = context.new_page()
    load(page, site_url + "role/")
    page.evaluate("""() => { const p = document.createElement('p');
      p.innerHTML = '<a class="md-button md-button--primary" id="hb-b1" href="#x">Download the PDF</a> ' +
                    '<a class="md-button" id="hb-b2" href="#x">Download the EPUB</a>';
      document.querySelector('article').prepend(p); }""")
    ratios = {}
    for button in ("hb-b1", "hb-b2"):
        for state in ("rest", "hover", "focus"):
            target = page.locator(f"#{button}")
            page.mouse.move(0, 0)
            page.evaluate("() => document.activeElement && document.activeElement.blur()")
            if state == "hover":
                target.hover()
            elif state == "focus":
                target.focus()
            settle(page)  # Material's colour transition
            fg, bg = target.evaluate("""el => { const s = getComputedStyle(el);
              const clear = c => /rgba\\(.*, 0\\)$|transparent/.test(c);
              let bg = s.backgroundColor, e = el;
              while (clear(bg) && e.parentElement) { e = e.parentElement; bg = getComputedStyle(e).backgroundColor; }
              if (clear(bg)) bg = getComputedStyle(document.body).backgroundColor;
              return [s.color, bg]; }""")
            ratios[f"{button} {state}"] = contrast(parse_color(fg, parse_color(bg)), parse_color(bg))
    context.close()
    low = {k: round(v, 2) for k, v in ratios.items() if v < MIN_CONTRAST}
    assert not low, f"{scheme}: button text under {MIN_CONTRAST}:1: {low}"


def parse_color(css: str, under=(255, 255, 255)) -> tuple:
    """An rgb()/rgba() colour, composited over `under` when translucent."""
    values = [float(v) for v in re.findall(r"[\d.]+", css)]
    r, g, b = values[:3]
    alpha = values[3] if len(values) > 3 else 1.0
    return tuple(round(alpha * c + (1 - alpha) * u) for c, u in zip((r, g, b), under[:3], strict=True))


# --- around a page: 404 and social cards --------------------------------------

class _PagesHandler(_QuietHandler):
    """Serves the site as GitHub Pages does: a missing address gets 404.html with status 404."""

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / SITE_PREFIX / "404.html"
        if code != 404 or not page.exists():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@pytest.fixture(scope="module")
def pages_site_url(built_site):
    """The built site served like GitHub Pages, 404.html for any missing address."""
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_PagesHandler, directory=str(built_site.parent)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    # sitemap.xml is left alone: it names the shared site_url server (instant navigation)
    yield f"http://127.0.0.1:{server.server_address[1]}/{SITE_PREFIX}/"
    server.shutdown()
    server.server_close()


def nav_parts() -> list[str]:
    import site_config
    nav = site_config.load(REPO / "mkdocs.yml")["nav"]
    return [next(iter(item)) for item in nav if isinstance(item, dict)
            and re.match(r"Part \d+", next(iter(item))) and isinstance(next(iter(item.values())), list)]


@pytest.mark.any_engine
@pytest.mark.parametrize("missing", ["no-such-page/", "eq/no/such/page/deep/", "role/typo.html"])
def test_404_page_helps_from_any_depth(chromium, pages_site_url, engine, missing):
    """From any depth: the parts (as many as the nav has), the home page and a search box
    that searches. Every link resolves, nothing leaves the site, the CSP holds."""
    context = new_context(chromium, viewport=DESKTOP)
    page = context.new_page()
    watch = Watch(page, origin_of(pages_site_url))
    failed = []
    page.on("response", lambda r: r.status >= 400 and r.url != pages_site_url + missing and failed.append(r.url))
    response = page.goto(pages_site_url + missing, wait_until="load")
    assert response.status == 404
    wait_until(page, "typeof document$ !== 'undefined'")
    links = page.evaluate("() => [...document.querySelectorAll('article a[href]')]"
                          ".map(a => [a.textContent.trim(), a.href])")
    texts = [text for text, _ in links]
    assert [t for t in texts if t.startswith("Part ")] == nav_parts(), texts
    assert any("home page" in t.lower() for t in texts), texts
    for text, href in links:
        assert context.request.get(href).status == 200, f"{missing}: {text!r} -> {href}"
    box = page.locator("article form[role=search] input[name=q]")
    assert box.is_visible()
    box.press_sequentially("informational interview", delay=10)
    box.press("Enter")
    page.wait_for_load_state("load")
    assert page.url.startswith(pages_site_url + "?q=informational"), page.url
    if engine == "mkdocs":  # Material opens search from ?q= (Zensical 0.0.73 does not)
        results = page.locator("li.md-search-result__item > a")
        results.first.wait_for(state="visible", timeout=10000)
        assert "getting-hired/networking/" in results.first.get_attribute("href")
    context.close()
    assert failed == [], "the 404 page requested what does not exist"
    # the browser logs the 404 status of the page itself (its other requests are checked above)
    assert [p for p in watch.problems() if "status of 404" not in p] == []


@pytest.mark.any_engine
def test_every_page_has_social_meta_and_its_card(built_site, site_pages):
    """og:title, og:description, og:type, og:image (absolute, under site_url, a 1200 x 630
    PNG that exists in the build), twitter:card. Fails when the extrahead block of
    overrides/main.html or the card script is removed."""
    import social_cards
    from PIL import Image
    site_url = social_cards.configured_site_url()
    problems, cards = [], {}
    for rel in site_pages:
        html = (built_site / (rel + "index.html" if rel.endswith("/") or not rel else rel)).read_text(encoding="utf-8")
        meta = social_cards.page_meta(html)
        if rel == "404.html":
            assert "og:image" not in meta
            continue
        title = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
        for key in ("og:title", "og:description", "og:type", "og:url", "og:image", "og:image:alt"):
            if not meta.get(key):
                problems.append(f"/{rel}: no {key}")
        if meta.get("twitter:card") != "summary_large_image":
            problems.append(f"/{rel}: twitter:card is {meta.get('twitter:card')!r}")
        h1 = html_lib.unescape(re.sub(r"<[^>]+>", "", title.group(1))).replace("\u00b6", "").strip() if title else None
        if h1 and meta.get("og:title") and h1 != meta["og:title"]:
            problems.append(f"/{rel}: og:title {meta['og:title']!r} is not the page's H1")
        image = meta.get("og:image", "")
        if not image.startswith(site_url):
            problems.append(f"/{rel}: og:image {image!r} is not an absolute address under {site_url}")
            continue
        file = built_site / image[len(site_url):]
        if not file.is_file():
            problems.append(f"/{rel}: og:image {image} was not built ({file})")
            continue
        with Image.open(file) as card:
            if card.format != "PNG" or card.size != (1200, 630):
                problems.append(f"/{rel}: card is {card.format} {card.size}")
        cards[rel] = file.read_bytes()
    assert not problems, "\n".join(problems)
    assert len(set(cards.values())) == len(cards), "two pages share one card"

