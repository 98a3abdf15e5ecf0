"""How the site loads: what blocks the first paint, what waits for the reader, what is
never shipped, and the build steps that keep the build linear (issue #18).

Functional checks only. The figures (bytes, Lighthouse scores, build times, memory) are
printed by scripts/benchmark_site.py and kept in BENCHMARKS.md, never timed here.

Fixtures (tests/fixtures/speed/), each a defect these checks must catch:
- blocking-page.html: a page whose first paint waits for more than the theme's two style
  sheets (the handbook's style sheet as a file, GLightbox's style sheet and script in
  <head>, synchronous script files in <body>);
- unpruned-site/: a built site as the theme leaves it: source maps, the comments that
  point at them, and lunr language files its English-only index never loads;
- relative-url.css: a style sheet that names files relative to itself, which breaks
  once it is inlined in pages at other depths.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import time
import tracemalloc
from pathlib import Path

import csp
import gen_dates
import jinja2
import minify_js
import prune_site
import pytest
import site_config
from benchmark_site import render_blocking
from bs4 import BeautifulSoup

from helpers import FIXTURES, ROOT

SPEED = FIXTURES / "speed"
FIGURE_PAGE = "eq/"  # a chapter with a diagram


# --- checks (each proved on a fixture below; render_blocking() is the benchmark's) ---

def unread_files(site: Path) -> list[str]:
    """Files of a built site that no reader's browser requests."""
    found = [f"{p.relative_to(site)}: source map" for p in sorted(site.rglob("*.map"))]
    for path in sorted(site.rglob("*.js")) + sorted(site.rglob("*.css")):
        if "sourceMappingURL=" in path.read_text(encoding="utf-8", errors="replace")[-300:]:
            found.append(f"{path.relative_to(site)}: points at a source map")
    languages = prune_site.search_languages(site)
    lunr = site / prune_site.LUNR
    if lunr.is_dir() and languages is not None:
        needed = prune_site.lunr_files_needed(languages)
        found += [f"{p.relative_to(site)}: search language file the index does not use"
                  for p in sorted(lunr.rglob("*")) if p.is_file() and p.relative_to(lunr).as_posix() not in needed]
    return found


def relative_urls(css: str) -> list[str]:
    """url() and @import targets that resolve against the style sheet's own folder."""
    found = []
    for lineno, line in enumerate(css.splitlines(), 1):
        for match in re.finditer(r"url\(\s*['\"]?([^'\")]+)|@import\s+(?:url\()?['\"]?([^'\"\s);]+)", line):
            target = match.group(1) or match.group(2)
            if not re.match(r"^(data:|#|[a-z]+://|/)", target):
                found.append(f"{lineno}: {target}")
    return found


def page_file(site: Path, rel: str) -> Path:
    return site / (rel + "index.html" if rel.endswith("/") or not rel else rel)


# --- the built site ---------------------------------------------------------------

@pytest.mark.site
def test_only_the_theme_style_sheets_block_rendering(built_site, site_pages):
    found = [f"/{rel}: {problem}" for rel in site_pages
             for problem in render_blocking(page_file(built_site, rel).read_text(encoding="utf-8"))]
    assert found == []


def test_render_blocking_check_catches_a_blocking_page():
    assert render_blocking((SPEED / "blocking-page.html").read_text(encoding="utf-8")) == [
        "style sheet ../assets/stylesheets/handbook.css in <head> blocks rendering",
        "style sheet ../assets/stylesheets/glightbox.min.css in <head> blocks rendering",
        "script ../assets/javascripts/glightbox.min.js in <head> blocks rendering",
        "script ../assets/javascripts/lazy-search-index.js in <body> blocks the parser (neither deferred nor async)",
        "script ../assets/javascripts/bundle.a5f9d56c.min.js in <body> blocks the parser (neither deferred nor async)",
        "script ../assets/javascripts/scrollable-regions.js in <body> blocks the parser (neither deferred nor async)",
    ]


def test_inlined_style_sheet_names_no_file_relative_to_itself():
    """handbook.css is inlined in pages at every depth (overrides/main.html)."""
    css = Path(__file__).resolve().parent.parent / "docs" / "assets" / "stylesheets" / "handbook.css"
    assert relative_urls(css.read_text(encoding="utf-8")) == []
    assert not re.search(r"\{[{%#]", css.read_text(encoding="utf-8")), "Jinja would read it as a tag"


def test_inlined_style_sheet_is_minified_and_included_verbatim(tmp_path):
    """Comments and spare whitespace stay out of every page; Jinja never parses the CSS."""
    css = tmp_path / "sheet.css"
    css.write_text("/* a comment */\n@media screen {\n  #__search { color: red; }\n}\n", encoding="utf-8")
    assert site_config.inlined_text(css) == "@media screen{#__search{color:red}}"
    template = site_config.inlined_template(css)
    assert jinja2.Environment().from_string(template).render() == "@media screen{#__search{color:red}}"
    (tmp_path / "bad.css").write_text("a::after { content: 'endraw'; }", encoding="utf-8")
    with pytest.raises(ValueError, match="endraw"):
        site_config.inlined_template(tmp_path / "bad.css")


def test_render_blocking_check_catches_a_third_style_sheet():
    assert render_blocking((SPEED / "three-style-sheets.html").read_text(encoding="utf-8")) == [
        "3 theme style sheets in <head> block rendering (at most two): ../assets/stylesheets/main.57a0d79d.min.css, "
        "../assets/stylesheets/palette.fb2fffe2.min.css, ../assets/stylesheets/handbook.4a853da0.min.css",
    ]


@pytest.mark.site
@pytest.mark.any_engine
def test_pages_get_the_minified_style_sheet_after_the_themes(built_site, engine):
    """MkDocs: one linked sheet, the theme's two and then ours (hooks/page_assets.py);
    Zensical: the theme's sheets, then ours inline."""
    html = page_file(built_site, "role/").read_text(encoding="utf-8")
    minified = site_config.inlined_text(ROOT / "docs" / site_config.HANDBOOK_CSS)
    if engine == "zensical":
        assert f"<style>{minified}</style>" in html
        return
    head = BeautifulSoup(html, "html.parser").head
    sheets = [link["href"] for link in head.find_all("link", rel="stylesheet")]
    assert len(sheets) == 1 and re.fullmatch(r"\.\./assets/stylesheets/handbook\.[0-9a-f]{8}\.min\.css", sheets[0])
    assert head.find("style") is None
    text = (built_site / "role" / sheets[0]).resolve().read_text(encoding="utf-8")
    import material
    sheets = Path(material.__file__).parent / "templates" / "assets" / "stylesheets"
    theme = [next(sheets.glob(f"{name}.*.min.css")).read_text(encoding="utf-8").split("/*# sourceMappingURL=")[0]
             .rstrip() for name in ("main", "palette")]
    assert text == "\n".join([*theme, minified]) + "\n"
    assert "sourceMappingURL" not in text
    assert not list((built_site / "assets" / "stylesheets").glob("main.*")), "the theme's sheet is shipped twice"


@pytest.mark.site
def test_the_build_keeps_compiled_templates_for_the_next(built_site):
    """hooks/page_assets.py gives Jinja a bytecode cache: without it, every build
    compiles every template again."""
    cache = ROOT / "build" / "cache" / "jinja"
    assert sorted(cache.glob("__jinja2_*.cache")), f"no compiled template in {cache}"


def test_joined_style_sheet_is_named_by_its_content(tmp_path):
    theme = tmp_path / "main.min.css"
    theme.write_text("a{color:red}\n/*# sourceMappingURL=main.min.css.map*/", encoding="utf-8")
    own = tmp_path / "handbook.css"
    own.write_text("/* ours */\np { margin: 0 }\n", encoding="utf-8")
    name, text = site_config.combined_css([theme], own)
    assert text == "a{color:red}\np{margin:0}\n"
    own.write_text("p { margin: 1px }\n", encoding="utf-8")
    assert site_config.combined_css([theme], own)[0] != name


def test_own_scripts_are_minified_in_the_site_and_keep_their_licence(tmp_path):
    sources = tmp_path / "src"
    sources.mkdir()
    (sources / "a.js").write_text("/*! Licence: MIT */\n// explains the step\nvar answer = 1 + 1;  /* more */\n",
                                  encoding="utf-8")
    (sources / "not-built.js").write_text("var x = 1;\n", encoding="utf-8")
    site = tmp_path / "site" / "assets" / "javascripts"
    site.mkdir(parents=True)
    (site / "a.js").write_text("unminified", encoding="utf-8")
    assert minify_js.minify_site(tmp_path / "site", sources) == ["assets/javascripts/a.js"]
    assert (site / "a.js").read_text(encoding="utf-8") == "/*! Licence: MIT */var answer=1+1;"
    assert not (site / "not-built.js").exists()


@pytest.mark.site
@pytest.mark.any_engine
def test_built_site_serves_our_scripts_minified(built_site):
    for source in sorted((ROOT / "docs" / "assets" / "javascripts").glob("*.js")):
        built = built_site / "assets" / "javascripts" / source.name
        if built.exists():
            text = built.read_text(encoding="utf-8")
            assert text == minify_js.minify(source.read_text(encoding="utf-8")), source.name
            assert len(text) <= len(source.read_text(encoding="utf-8")), source.name


def test_relative_url_check_catches_a_relative_url():
    assert relative_urls((SPEED / "relative-url.css").read_text(encoding="utf-8")) == [
        "3: ../images/mark.svg", "5: print.css"]


@pytest.mark.site
def test_no_page_names_glightbox_and_figures_are_still_wrapped(built_site, site_pages):
    """GLightbox is loaded by assets/javascripts/lightbox.js, never by the page itself."""
    for rel in site_pages:
        html = page_file(built_site, rel).read_text(encoding="utf-8")
        assert "glightbox.min" not in html and 'id="glightbox-style"' not in html, rel
        assert "GLightbox(" not in html, rel
    figure = page_file(built_site, FIGURE_PAGE).read_text(encoding="utf-8")
    assert re.search(r'<a [^>]*class="glightbox"[^>]*>\s*<img ', figure), "the plugin no longer wraps figures"
    assert (built_site / "assets/javascripts/glightbox.min.js").is_file()
    assert (built_site / "assets/stylesheets/glightbox-material.css").is_file()


@pytest.mark.site
def test_built_site_ships_no_file_a_reader_never_requests(built_site):
    assert unread_files(built_site) == []
    assert not (built_site / prune_site.LUNR).exists(), "English needs no lunr language file"


@pytest.mark.site
def test_a_chapter_lists_its_own_part_not_every_page(built_site):
    """No navigation.sections: other parts are one collapsed entry each (navigation.prune)."""
    soup = BeautifulSoup(page_file(built_site, "role/lifecycle/").read_text(encoding="utf-8"), "html.parser")
    links = {a["href"] for a in soup.select(".md-sidebar--primary a.md-nav__link[href]")}
    assert {"../", "../people/"} <= links, links  # its part
    assert "../../getting-hired/" in links  # another part, collapsed
    assert "../../getting-hired/networking/" not in links  # ... without its chapters


@pytest.mark.site
@pytest.mark.any_engine
def test_last_updated_date_is_on_every_page(built_site, site_pages):
    """Both engines show it (scripts/gen_dates.py: page metadata, or the staged front matter)."""
    pattern = re.compile(r'Last updated <time datetime="\d{4}-\d{2}-\d{2}">\d{1,2} [A-Z][a-z]+ \d{4}</time>')
    missing = [rel for rel in site_pages if rel != "404.html"
               and not pattern.search(page_file(built_site, rel).read_text(encoding="utf-8"))]
    assert missing == []


# --- pruning ------------------------------------------------------------------------

def test_unread_files_check_catches_an_unpruned_site():
    assert unread_files(SPEED / "unpruned-site") == [
        "assets/javascripts/bundle.a5f9d56c.min.js.map: source map",
        "assets/javascripts/workers/search.a7633da7.min.js.map: source map",
        "assets/javascripts/bundle.a5f9d56c.min.js: points at a source map",
        "assets/javascripts/workers/search.a7633da7.min.js: points at a source map",
        "assets/javascripts/lunr/min/lunr.de.min.js: search language file the index does not use",
        "assets/javascripts/lunr/min/lunr.ja.min.js: search language file the index does not use",
        "assets/javascripts/lunr/min/lunr.multi.min.js: search language file the index does not use",
        "assets/javascripts/lunr/min/lunr.stemmer.support.min.js: search language file the index does not use",
        "assets/javascripts/lunr/tinyseg.js: search language file the index does not use",
        "assets/javascripts/lunr/wordcut.js: search language file the index does not use",
    ]


def test_prune_removes_maps_and_every_lunr_file_english_does_not_need(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(SPEED / "unpruned-site", site)
    maps, lunr = prune_site.prune(site)
    assert len(maps) == 2 and len(lunr) == 6
    assert unread_files(site) == []
    assert not (site / prune_site.LUNR).exists()
    assert (site / "assets/javascripts/bundle.a5f9d56c.min.js").read_text() == "!function(){var a=1}();\n"


def test_prune_keeps_what_other_search_languages_load(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(SPEED / "unpruned-site", site)
    index = site / "search" / "search_index.json"
    index.write_text(index.read_text().replace('["en"]', '["en", "ja"]'))
    prune_site.prune(site)
    kept = sorted(p.relative_to(site / prune_site.LUNR).as_posix() for p in (site / prune_site.LUNR).rglob("*.js"))
    assert kept == ["min/lunr.ja.min.js", "min/lunr.multi.min.js", "min/lunr.stemmer.support.min.js", "tinyseg.js"]


# --- streaming CSP ------------------------------------------------------------------

def test_csp_fill_holds_one_page_at_a_time_not_the_site(tmp_path):
    """Peak memory stays near one page's size however many pages there are."""
    meta = ('<meta http-equiv="Content-Security-Policy" '
            'content="default-src \'self\'; script-src \'self\'; style-src \'self\'">')
    filler = "<p>" + "x" * 100_000 + "</p>\n"
    pages = 60
    for i in range(pages):
        page = tmp_path / f"p{i}" / "index.html"
        page.parent.mkdir()
        page.write_text(f"<html><head>{meta}<script>var n = {i % 3};</script></head>"
                        f"<body>{filler * 3}</body></html>", encoding="utf-8")
    page_size = (tmp_path / "p0" / "index.html").stat().st_size
    tracemalloc.start()
    try:
        assert csp.fill_site(tmp_path) == (3, 0, pages)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 * page_size, f"peak {peak / 1e6:.1f} MB for {pages} pages of {page_size / 1e6:.1f} MB"


# --- last-updated dates -------------------------------------------------------------

def git(repo: Path, *args: str, when: str | None = None) -> None:
    env = {"GIT_AUTHOR_NAME": "A", "GIT_AUTHOR_EMAIL": "a@example.org", "GIT_COMMITTER_NAME": "A",
           "GIT_COMMITTER_EMAIL": "a@example.org", "PATH": "/usr/bin:/bin", "HOME": str(repo)}
    if when:
        env |= {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def test_dates_come_from_one_git_log_over_docs(tmp_path):
    repo = tmp_path / "repo"
    (repo / "docs" / "part").mkdir(parents=True)
    git(repo, "init", "-q")
    (repo / "docs" / "a.md").write_text("a")
    (repo / "docs" / "part" / "old.md").write_text("b")
    (repo / "outside.md").write_text("c")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "one", when="2024-01-02T03:04:05Z")
    git(repo, "mv", "docs/part/old.md", "docs/part/new.md")
    git(repo, "commit", "-qm", "rename", when="2024-05-06T07:08:09Z")
    (repo / "docs" / "a.md").write_text("a2")
    (repo / "outside.md").write_text("c2")
    git(repo, "commit", "-qam", "edit", when="2025-03-01T12:00:00Z")
    (repo / "docs" / "untracked.md").write_text("d")
    dates = gen_dates.last_updated(repo / "docs")
    assert dates == {"a.md": 1740830400, "part/new.md": 1714979289}
    assert gen_dates.meta_for("untracked.md", dates, 0)["git_revision_date_localized_raw_iso_date"] == "1970-01-01"
    assert gen_dates.last_updated(tmp_path / "no-repo") == {}


def test_date_markup_is_the_plugins():
    """The markup mkdocs-git-revision-date-localized-plugin 1.6.3 wrote (type: date)."""
    assert gen_dates.page_meta(1796033794) == {
        "git_revision_date_localized":
            '<span class="git-revision-date-localized-plugin git-revision-date-localized-plugin-date" '
            'title="November 30, 2026 10:16:34 UTC">November 30, 2026</span>',
        "git_revision_date_localized_raw_date": "November 30, 2026",
        "git_revision_date_localized_raw_iso_date": "2026-11-30",
    }


# --- in the browser -----------------------------------------------------------------

@pytest.fixture()
def tab(chromium):
    from test_browser import DESKTOP, new_context
    context = new_context(chromium, viewport=DESKTOP)
    yield context.new_page()
    context.close()


def requests_of(page) -> list[str]:
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url))
    return seen


@pytest.mark.browser
def test_search_worker_and_index_wait_until_the_reader_searches(tab, site_url):
    from test_browser import Watch, load, origin_of, search
    watch = Watch(tab, origin_of(site_url))
    seen = requests_of(tab)
    load(tab, site_url + "role/")
    tab.wait_for_load_state("networkidle")
    tab.wait_for_timeout(500)
    assert not [u for u in seen if "/workers/search." in u or "search_index.json" in u]
    assert search(tab, "informational interview"), "no results once search started"
    assert len([u for u in seen if "/workers/search." in u]) == 1
    assert len([u for u in seen if "search_index.json" in u]) == 1
    assert watch.problems() == []


@pytest.mark.browser
def test_lightbox_loads_only_when_a_reader_reaches_for_a_figure(tab, site_url):
    from test_browser import Watch, check_lightbox, load, origin_of
    watch = Watch(tab, origin_of(site_url))
    seen = requests_of(tab)

    def glightbox() -> list[str]:
        return [u for u in seen if "glightbox" in u]

    load(tab, site_url + "common-questions/")  # a page without a figure
    assert tab.locator("a.glightbox").count() == 0
    tab.mouse.move(400, 400)
    tab.keyboard.press("Tab")
    tab.wait_for_timeout(300)
    assert glightbox() == []
    load(tab, site_url + FIGURE_PAGE)
    tab.wait_for_load_state("networkidle")
    assert glightbox() == [], "GLightbox loaded before anyone reached for a figure"
    check_lightbox(tab)  # focus (starts loading), Enter opens on that figure, Escape, focus back
    assert sorted(u.rsplit("/", 1)[1] for u in glightbox()) == [
        "glightbox-material.css", "glightbox.min.css", "glightbox.min.js"]
    check_lightbox(tab)  # once loaded, GLightbox's own handlers
    assert watch.problems() == []


@pytest.mark.browser
def test_lightbox_opens_on_the_first_click_with_nothing_preloaded(tab, site_url):
    """A click that arrives before GLightbox (no hover first, as a tap may) still opens it."""
    from test_browser import load
    load(tab, site_url + FIGURE_PAGE)
    link = tab.locator("article a.glightbox").first
    link.dispatch_event("click", {"button": 0})
    tab.locator(".glightbox-container .gslide.current img").wait_for(state="visible", timeout=5000)
    assert tab.url.endswith("/" + FIGURE_PAGE), "the click followed the link instead of opening the lightbox"
    is_open = "document.documentElement.classList.contains('glightbox-open')"
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and not tab.evaluate(is_open):
        time.sleep(0.05)
    assert tab.evaluate(is_open)


# --- the benchmark's CPU count (scripts/benchmark_site.py: run_counting_cpu) -------------

# A command whose child uses 0.6 s of CPU and is never waited for (its parent sees it
# finish through a file, then exits), as Chromium's renderers outlive the processes that
# would reap them.
ORPHAN = """import pathlib, subprocess, sys, tempfile, time
done = pathlib.Path(tempfile.mkdtemp()) / "done"
subprocess.Popen([sys.executable, "-c", "import pathlib, sys, time\\nt = time.process_time()\\n"
                  "while time.process_time() - t < 0.6: pass\\npathlib.Path(sys.argv[1]).touch()", str(done)])
while not done.exists():
    time.sleep(0.05)
"""


def test_the_benchmark_counts_the_cpu_of_processes_nobody_waits_for(monkeypatch):
    """getrusage alone (the count BENCHMARKS.md used before) misses the child: the fallback
    shows it, and says so."""
    import sys

    import benchmark_site

    result, cpu, how = benchmark_site.run_counting_cpu([sys.executable, "-c", ORPHAN], timeout=120)
    assert result.returncode == 0
    if not how.startswith("every process"):
        pytest.skip(f"no writable control group on this machine ({how})")
    assert cpu >= 0.55, f"{cpu:.2f} s counted; the child alone used 0.6 s ({how})"
    monkeypatch.setattr(benchmark_site, "CGROUPS", ())
    result, cpu, how = benchmark_site.run_counting_cpu([sys.executable, "-c", ORPHAN], timeout=120)
    assert result.returncode == 0
    assert cpu < 0.5 and how.startswith("getrusage"), (cpu, how)
