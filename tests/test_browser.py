"""The built site in a real browser: search, accessibility, keyboard use, network and
console, instant navigation and the Content-Security-Policy.

Every test here runs headless Chromium (fixtures in conftest.py) against the site
built once per session and served on 127.0.0.1 under /handbook/, as GitHub Pages
serves it. Run only these with `pytest -m browser`; skip them with `-m "not browser"`.
"""
from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
import yaml
from conftest import shared_artifact

pytestmark = pytest.mark.browser

QUESTIONS = yaml.safe_load((Path(__file__).parent / "search_questions.yml").read_text(encoding="utf-8"))
# Measured differences of each other engine's search: query -> its first result (or None).
ENGINE_ANSWERS = {"zensical": yaml.safe_load(
    (Path(__file__).parent / "search_questions_zensical.yml").read_text(encoding="utf-8"))}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}
DIAGRAM_PAGE = "eq/"  # a page with a diagram, for the lightbox
TABS = 6  # pages loaded at once by the every-page visit that waits for the network to go idle

# Runs in every document and frame before the page's own scripts: records CSP violations.
CSP_RECORDER = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => {
  window.__csp.push(`${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} ` +
                    `at ${e.sourceFile || e.documentURI}:${e.lineNumber} ${e.sample || ''}`.trim());
});
"""
# Also before the page's scripts: counts the queries Material posts to its search worker
# and the results it answers (they come back in order), and notes when
# search-result-links.js has run, so that search() waits for the answer to the last key,
# not for a fixed time. Only a worker at Material's search worker address is counted (not
# the iframe-worker shim's from file://), and search() reads the counts only on Material's
# search dialog: Zensical's worker has the same address but another protocol.
SEARCH_COUNTER = """
window.__hbSearch = {workers: 0, sent: 0, answered: 0, links: false};
document.addEventListener('load', e => {
  if (/search-result-links\\.js/.test(e.target.src || '')) window.__hbSearch.links = true;
}, true);
if (typeof window.Worker === 'function') {
  const Real = window.Worker;
  window.Worker = class extends Real {
    constructor(url, options) {
      super(url, options);
      if (!/\\/workers\\/search\\.[\\w.]*\\.js/.test(String(url))) return;
      window.__hbSearch.workers++;
      this.addEventListener('message', e => { if (e.data && e.data.type === 3) window.__hbSearch.answered++; });
      const post = this.postMessage.bind(this);
      this.postMessage = (message, ...rest) => {
        if (message && message.type === 2) window.__hbSearch.sent++;
        return post(message, ...rest);
      };
    }
  };
}
"""


# --- helpers ------------------------------------------------------------------

def new_context(browser, **kwargs):
    context = browser.new_context(**kwargs)
    context.add_init_script(CSP_RECORDER)
    context.add_init_script(SEARCH_COUNTER)
    return context


class Watch:
    """Everything a page does that it must not: errors, CSP violations, outside requests."""

    def __init__(self, page, origin: str):
        self.page, self.origin = page, origin
        self.console: list[str] = []
        self.outside: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.console.append(m.text))
        page.on("pageerror", lambda e: self.console.append(f"uncaught: {e}"))
        page.on("request", self._request)

    def clear(self):
        """Forget what was seen (before the page is navigated again)."""
        self.console.clear()
        self.outside.clear()

    def _request(self, request):
        url = request.url
        if not (url.startswith(self.origin) or url.startswith(("data:", "blob:", "about:"))):
            self.outside.append(url)

    def csp(self) -> list[str]:
        found = []
        for frame in self.page.frames:
            try:
                found += frame.evaluate("window.__csp || []")
            except Exception:  # a frame that went away
                pass
        found += [m for m in self.console if "Content Security Policy" in m]
        return found

    def problems(self) -> list[str]:
        return ([f"console: {m}" for m in self.console if "Content Security Policy" not in m]
                + [f"CSP: {v}" for v in self.csp()]
                + [f"request left the site: {u}" for u in self.outside])


def origin_of(url: str) -> str:
    return re.match(r"^[a-z]+://[^/]+/", url).group(0)


def wait_until(page, expression: str, timeout: float = 5.0):
    """Poll `expression` until truthy. (page.wait_for_function evaluates its predicate
    with eval() inside the page, which the site's CSP rightly blocks.)"""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {expression}")
        time.sleep(0.05)


# No finite CSS animation or transition is running (an endless one never ends: not counted).
SETTLED = """document.getAnimations().every(a => a.playState !== 'running'
  || a.effect.getComputedTiming().endTime === Infinity)"""


def settle(page, timeout: float = 5.0):
    """Wait until the page's animations and transitions (a fade-in, a colour change, the
    lightbox opening) have finished, instead of sleeping for as long as they take."""
    wait_until(page, SETTLED, timeout)


def poll(page, expression: str, timeout: float = 5.0):
    """The value of `expression` once truthy, or its last (falsy) value after `timeout`."""
    deadline = time.monotonic() + timeout
    while not (value := page.evaluate(expression)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return value


def load(page, url: str):
    page.goto(url, wait_until="load")
    wait_until(page, "typeof document$ !== 'undefined'")  # Material's bundle ran


# The search box and its result links, for each engine's search dialog. Zensical's
# lives in an open shadow root, which Playwright's CSS selectors pierce.
SEARCH_UI = {
    "material": ("input.md-search__input", "li.md-search-result__item > a"),
    "zensical": ("dialog input[role=combobox]", "ol[role=listbox] a[role=option]"),
}


def search_ui(page) -> tuple[str, str]:
    """(search box, result links) selectors of the search dialog on this page."""
    return SEARCH_UI["material" if page.locator("input.md-search__input").count() else "zensical"]


SEARCH_STATE = """() => ({counted: window.__hbSearch ? window.__hbSearch.workers > 0 : false,
  answered: !!window.__hbSearch && window.__hbSearch.sent > 0
            && window.__hbSearch.answered === window.__hbSearch.sent && window.__hbSearch.links})"""


def search(page, query: str) -> list[str]:
    """Enter `query` in the search box; return the result links in order.

    Material's search answers every key (a query posted to its worker, results posted
    back, in order): the results are those of the whole query once the worker has
    answered every query posted (SEARCH_COUNTER) and search-result-links.js has run,
    and they then read the same twice in a row. Another engine's search, or Material's
    from file://, is not counted: its results must read the same three times in a row."""
    box_selector, results = search_ui(page)
    material = (box_selector, results) == SEARCH_UI["material"]  # Zensical's worker has another protocol
    box = page.locator(box_selector)
    if not box.count() or not box.evaluate("el => el === el.getRootNode().activeElement"):
        page.keyboard.press("/")
    box.press("Control+a")
    box.press("Backspace")
    if material:
        # The results answer the whole query, whatever came before: the query goes in at
        # once and its last key is pressed, which Material's search reacts to (keyup), as
        # when a reader pastes a question and presses a key. The same query typed key by
        # key made the worker search once per key: 35 of the questions' 46 s of CPU.
        page.keyboard.insert_text(query[:-1])  # the box has the focus
        box.press(query[-1])
    else:
        # Zensical's search (0.0.73) shows nothing when keys come with no pause between them
        box.press_sequentially(query, delay=20)
    links, stable, deadline = None, 0, time.monotonic() + 10
    while time.monotonic() < deadline:  # results update as you type: wait until they answer the query
        time.sleep(0.05)
        state = page.evaluate(SEARCH_STATE)
        now = page.locator(results).evaluate_all("els => els.map(e => e.href)")  # pierces Zensical's shadow root
        if material and state["counted"]:  # the answer to the last key, no results included
            if state["answered"] and now == links:
                break
            links = now if state["answered"] else None
            continue
        stable = stable + 1 if now and now == links else 0
        links = now
        if stable >= 3:
            break
    return links or []


def page_path(href: str, site_url: str) -> str:
    """The result link as a path relative to the site: 'role/' (no query, no anchor)."""
    path = re.split(r"[?#]", href)[0]
    return path[len(site_url):] if path.startswith(site_url) else path


# --- search -------------------------------------------------------------------

@pytest.fixture(scope="module")
def search_page(chromium, site_url):
    context = new_context(chromium, viewport=DESKTOP)
    page = context.new_page()
    load(page, site_url)
    yield page
    context.close()


@pytest.mark.any_engine
def test_questions_file_covers_the_handbook():
    for engine, answers in ENGINE_ANSWERS.items():
        assert set(answers) <= set(QUESTIONS), f"search_questions_{engine}.yml: {set(answers) - set(QUESTIONS)}"
        assert len(answers) <= len(QUESTIONS) // 5, f"{engine}: more than one question in five differs"
    assert len(QUESTIONS) >= 20
    parts = {"role/", "practice/", "eq/", "roles-compared/", "getting-hired/", "glossary/", "common-questions/"}
    covered = {p for p in parts if any(v.startswith(p) for v in QUESTIONS.values())}
    assert covered == parts, f"no question for {parts - covered}"
    sentences = [q for q in QUESTIONS if len(q.split()) >= 5]
    assert len(sentences) >= 20, "at least 20 natural full-sentence questions, not keywords"


@pytest.mark.any_engine
@pytest.mark.parametrize("query", list(QUESTIONS))
def test_search_question(search_page, site_url, built_site, engine, query):
    expected = QUESTIONS[query]
    if not (built_site / expected / "index.html").exists():
        pytest.fail(f"tests/search_questions.yml: {expected!r} is not a page of the site")
    differences = ENGINE_ANSWERS.get(engine, {})
    if query in differences:  # a measured difference; see tests/search_questions_<engine>.yml
        expected = differences[query]
    results = search(search_page, query)
    if expected is None:
        assert results == [], f"{query!r}: now finds {results[:3]}: update tests/search_questions_{engine}.yml"
        return
    assert results, f"{query!r}: no results"
    got = [page_path(r, site_url) for r in results]
    assert got[0] == expected, f"{query!r}: first result {got[0]!r}, expected {expected!r}; all: {got[:5]}"


@pytest.mark.parametrize("start", ["click", "shortcut"])
def test_search_index_loads_only_when_the_reader_starts_searching(desktop_page, site_url, start):
    """First views skip the search index (overrides/lazy-loaders.html); searching still works."""
    page = desktop_page
    requested: list[str] = []
    page.on("request", lambda r: "search_index.json" in r.url and requested.append(r.url))
    load(page, site_url + "role/")
    page.wait_for_load_state("networkidle")  # everything the page fetches by itself, fetched
    assert requested == [], "the search index was fetched before anyone searched"
    if start == "click":
        page.locator("input.md-search__input").click()
    else:
        page.keyboard.press("/")
    assert search(page, "informational interview"), "no results once the index loaded"
    assert len(requested) == 1


def test_offline_search_from_file(chromium, browser_offline_site):
    """The offline build (derived config) searches from file://, under its CSP, with no network."""
    context = new_context(chromium, viewport=DESKTOP)
    page = context.new_page()
    watch = Watch(page, "file://")
    for start in ("index.html", "getting-hired/networking.html"):
        load(page, (browser_offline_site / start).as_uri())
        results = search(page, "mentor")
        assert results and results[0].startswith((browser_offline_site / "getting-hired").as_uri()), results
        page.keyboard.press("Escape")
    assert watch.problems() == []
    context.close()


# --- accessibility ------------------------------------------------------------

# On the Zensical build, axe checks a sample: the home page, a part, a chapter with a
# diagram, the glossary and the sources page.
AXE_SAMPLE = ["", "role/", "eq/", "getting-hired/networking/", "glossary/", "sources/"]


AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}


def axe_violations(axe, page, rel: str) -> list[str]:
    """axe's WCAG 2.2 A/AA violations on the loaded page, one line each."""
    found = []
    for v in axe.run(page, options=AXE_OPTIONS).response["violations"]:
        targets = ", ".join(" ".join(n["target"]) for n in v["nodes"][:3])
        found.append(f"/{rel}: {v['id']} ({v['impact']}) x{len(v['nodes'])}: {targets}")
    return found


# Every page is visited once per (width, scheme) below, by all pytest-xdist workers
# together (conftest.py: shared_artifact), and each visit feeds every check made there:
# axe in both schemes on a desktop and a phone, the reading survey at each width of
# test_reading.WIDTHS (its measures do not depend on the scheme), the page facts and
# the network, console and CSP check. One page load then serves two or three checks.
AXE_WIDTH = {("light", "desktop"): 1280, ("dark", "desktop"): 1280, ("light", "phone"): 390, ("dark", "phone"): 320}
SURVEY_SCHEME = {1280: "light", 768: "light", 390: "light", 320: "dark"}


def every_page_visit(chromium, site_url, site_pages, axe_pages, tmp_path_factory, engine,
                     width: int, scheme: str) -> dict:
    """{page: what one visit to it at `width` px (800 px high; a phone under 600) in the
    `scheme` colour scheme found}, once per run:

    - problems: what the page did that it must not, until the network was idle (Watch);
    - scheme: Material's colour scheme; axe: axe's violations, where AXE_WIDTH visits
      with axe (pages of axe_pages), else None;
    - survey: the reading measurements (test_reading.py, SURVEY);
    - facts: what it shows around its content (test_search_and_citations.py, FACTS), at
      1280 px in the light scheme.

    TABS tabs load TABS pages at a time (their navigations start together, so their
    500 ms network-idle waits overlap), each tab reused for the next batch with its Watch
    cleared. Watch is read before anything else runs."""
    from axe_playwright_python.sync_playwright import Axe
    from test_reading import SMALL_TEXT_EXEMPT, SURVEY, TABLES_READY
    from test_search_and_citations import FACTS

    phone = width < 600
    with_axe = AXE_WIDTH.get((scheme, "phone" if phone else "desktop")) == width
    with_facts = (width, scheme) == (DESKTOP["width"], "light")

    def visit(_):
        axe = Axe()
        context = new_context(chromium, color_scheme=scheme, viewport={"width": width, "height": 800},
                              is_mobile=phone, has_touch=phone)
        pool = [context.new_page() for _ in range(TABS)]  # reused: a new tab per page costs a process
        watches = [Watch(page, origin_of(site_url)) for page in pool]
        found = {}
        for start in range(0, len(site_pages), TABS):
            tabs = list(zip(site_pages[start:start + TABS], pool, watches, strict=False))  # the last batch is shorter
            for rel, page, watch in tabs:
                watch.clear()
                page.goto(site_url + rel, wait_until="commit")
            for rel, page, watch in tabs:
                page.wait_for_load_state("load")
                wait_until(page, "typeof document$ !== 'undefined'")  # Material's bundle ran
                page.wait_for_load_state("networkidle")
                seen = {"problems": [f"/{rel}: {p}" for p in watch.problems()]}
                wait_until(page, TABLES_READY)
                seen["survey"] = page.evaluate(SURVEY, SMALL_TEXT_EXEMPT)
                seen["facts"] = page.evaluate(FACTS) if with_facts else None
                seen["scheme"] = page.evaluate("document.body.dataset.mdColorScheme")
                seen["axe"] = axe_violations(axe, page, rel) if with_axe and rel in axe_pages else None
                found[rel] = seen
        context.close()
        return found
    return shared_artifact(tmp_path_factory, f"every-page-{engine}-{width}-{scheme}", visit)[1]


@pytest.mark.slow
@pytest.mark.any_engine
@pytest.mark.parametrize("width", ["desktop", "phone"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_wcag_every_page(visits, axe_pages, scheme, width):
    """axe on every page at 1280 px and on a phone (390 px light, 320 px dark), from the
    one visit to every page there (every_page_visit)."""
    want = "slate" if scheme == "dark" else "default"
    seen = visits(AXE_WIDTH[(scheme, width)], scheme)
    found = []
    for rel in axe_pages:
        assert seen[rel]["scheme"] == want, rel
        assert seen[rel]["axe"] is not None, f"/{rel}: axe did not run on this visit"
        found += seen[rel]["axe"]
    assert found == [], "axe WCAG 2.2 A/AA violations:\n" + "\n".join(found)


@pytest.fixture()
def desktop_page(chromium, site_url):
    context = new_context(chromium, viewport=DESKTOP)
    page = context.new_page()
    yield page
    context.close()


def focused(page) -> dict:
    return page.evaluate("""() => {
      const el = document.activeElement;
      // A visually hidden radio shows its focus on the label after it (palette toggle)
      const next = el.nextElementSibling;
      const label = ['radio', 'checkbox'].includes(el.type) && next && next.tagName === 'LABEL' && next;
      const shown = [el, label].filter(Boolean).map(e => getComputedStyle(e));
      return {tag: el.tagName, cls: el.className, href: el.getAttribute('href') || '',
              inArticle: !!el.closest('article'), inLightbox: !!el.closest('.glightbox-container'),
              outline: shown.some(s => s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0),
              shadow: shown.some(s => s.boxShadow !== 'none')};
    }""")


def test_skip_link_is_first_and_skips_to_content(desktop_page, site_url):
    page = desktop_page
    load(page, site_url + "role/")
    page.keyboard.press("Tab")
    first = focused(page)
    assert "md-skip" in first["cls"], first
    assert page.locator(".md-skip").is_visible(), "the skip link must show when focused"
    target = page.locator(".md-skip").get_attribute("href").split("#")[1]
    page.keyboard.press("Enter")
    wait_until(page, f"location.hash === '#{target}'")
    page.wait_for_timeout(300)  # Material moves to the anchor asynchronously
    page.keyboard.press("Tab")
    after = focused(page)
    assert after["inArticle"], f"Tab after the skip link should land in the content, got {after}"


@pytest.mark.parametrize("key", ["/", "s"])
def test_search_shortcut_focuses_search(desktop_page, site_url, key):
    page = desktop_page
    load(page, site_url + "eq/")
    page.keyboard.press(key)
    assert "md-search__input" in focused(page)["cls"]


def test_focus_is_visible_on_links_and_buttons(desktop_page, site_url):
    page = desktop_page
    load(page, site_url + "role/")
    seen = 0
    for _ in range(25):
        page.keyboard.press("Tab")
        f = focused(page)
        if f["tag"] in ("A", "BUTTON", "INPUT", "LABEL"):
            seen += 1
            if "md-search__input" in f["cls"]:  # focus opens the search dialog: unmistakable
                wait_until(page, "__search.checked", timeout=3)
                continue
            assert f["outline"] or f["shadow"], f"no visible focus indicator on {f}"
    assert seen >= 10


def test_lightbox_opens_closes_with_escape_and_returns_focus(desktop_page, site_url):
    page = desktop_page
    watch = Watch(page, origin_of(site_url))
    load(page, site_url + DIAGRAM_PAGE)
    check_lightbox(page)
    assert watch.problems() == []


def check_lightbox(page):
    trigger = page.locator("article a.glightbox").first
    image = trigger.locator("img").get_attribute("src").split("/")[-1]
    trigger.focus()
    page.keyboard.press("Enter")
    slide = page.locator(".glightbox-container .gslide.current img")
    slide.wait_for(state="visible", timeout=5000)
    assert slide.get_attribute("src").split("/")[-1] == image, "the lightbox shows another image"
    page.keyboard.press("Escape")
    page.locator(".glightbox-container").wait_for(state="detached", timeout=5000)
    f = focused(page)
    assert "glightbox" in f["cls"] and f["href"].endswith(image), f"focus did not return: {f}"


# --- network, console and CSP -------------------------------------------------

@pytest.mark.slow
@pytest.mark.any_engine
def test_every_page_stays_local_quiet_and_within_csp(at_desktop, site_pages):
    """Every page loaded and watched until the network is idle (every_page_visit)."""
    assert set(at_desktop) == set(site_pages)
    found = [problem for rel in site_pages for problem in at_desktop[rel]["problems"]]
    assert found == [], "\n".join(found)


@pytest.mark.any_engine
def test_csp_meta_is_strict_on_every_page(built_site, site_pages):
    for rel in site_pages:
        html = (built_site / (rel + "index.html" if rel.endswith("/") or not rel else rel)).read_text()
        metas = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)"', html)
        assert len(metas) == 1, f"/{rel}: {len(metas)} CSP metas"
        policy = dict((d.split()[0], d.split()[1:]) for d in metas[0].split("; "))
        assert html.index("Content-Security-Policy") < html.index("<script"), f"/{rel}: CSP after a script"
        assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'self'"]
        assert policy["default-src"] == ["'self'"]
        for name, sources in policy.items():
            for source in sources:
                assert not re.match(r"^(https?:|\*|'unsafe-eval')", source), f"/{rel}: {name} {source}"
        assert "'unsafe-inline'" not in policy["script-src"] + policy["style-src"]
        assert all(s == "'self'" or s.startswith("'sha256-") for s in policy["script-src"])
        assert re.search(r'<meta name="referrer" content="[a-z-]+">', html), f"/{rel}: no referrer policy"


def test_features_work_under_csp(desktop_page, site_url):
    """Search, the palette toggle and the lightbox, with the policy enforced."""
    page = desktop_page
    watch = Watch(page, origin_of(site_url))
    load(page, site_url + DIAGRAM_PAGE)
    assert search(page, "mentor"), "search returned nothing"
    page.keyboard.press("Escape")
    schemes = []
    for _ in range(3):  # auto -> light -> dark -> auto
        page.locator("form[data-md-component=palette] label:visible").first.click()
        schemes.append(page.evaluate("document.body.dataset.mdColorScheme"))
    assert {"default", "slate"} <= set(schemes), schemes
    check_lightbox(page)
    assert watch.problems() == []


@pytest.mark.any_engine
def test_csp_check_catches_an_unhashed_inline_script(chromium, mutated_copy):
    """The CSP checks above can fail: a page with an inline script not in the policy."""
    from conftest import serve_directory

    def inject(html):
        return html.replace("</body>", "<script>document.title = 'mutated'</script></body>")

    root = mutated_copy(DIAGRAM_PAGE, inject)
    with serve_directory(root) as url:
        context = new_context(chromium, viewport=DESKTOP)
        page = context.new_page()
        watch = Watch(page, origin_of(url))
        load(page, url + DIAGRAM_PAGE)
        page.wait_for_load_state("networkidle")
        problems = watch.problems()
        title = page.title()
        context.close()
    assert title != "mutated", "the unhashed inline script ran"
    assert any(p.startswith("CSP: script-src") for p in problems), problems


# --- instant navigation -------------------------------------------------------

def test_instant_navigation_keeps_lightbox_tooltips_and_search(desktop_page, site_url):
    page = desktop_page
    watch = Watch(page, origin_of(site_url))
    load(page, site_url)
    page.evaluate("window.__sameDocument = true")
    for target in ("role/", DIAGRAM_PAGE):
        page.locator(f"a.md-nav__link[href$='/{target}'] >> visible=true").first.click()
        page.wait_for_url(site_url + target)
        wait_until(page, f"document.querySelector('link[rel=canonical]').href.endsWith('/{target}')")
    assert page.evaluate("window.__sameDocument") is True, "navigation was a full page load"
    check_lightbox(page)
    abbr = page.locator("article abbr").first
    abbr.hover()
    tooltip = page.locator(".md-tooltip2--active")
    tooltip.wait_for(state="visible", timeout=5000)
    meaning = tooltip.inner_text().strip()
    assert meaning and meaning != abbr.inner_text().strip(), f"tooltip shows {meaning!r}"
    assert search(page, "mentor"), "search broke after instant navigation"
    assert watch.problems() == []
