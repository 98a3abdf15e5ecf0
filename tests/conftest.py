"""Shared pytest fixtures. Each group says which tests use it; add yours in a group of your own."""
from __future__ import annotations

import contextlib
import functools
import http.server
import os
import re
import shutil
import threading
from pathlib import Path

import pytest

import helpers

REPO = Path(__file__).resolve().parent.parent


# =============================================================================
# Engines: `pytest --engine zensical` (make zensical) builds the site with Zensical
# and runs only the built-site checks marked `any_engine`; the default is MkDocs.
#
# Raw source pages: .ci/run sets HANDBOOK_RAW_SOURCES=absent on GitHub's runners, which
# never have them. Their tests are then left out, and the summary says so; anywhere
# else a missing folder fails them under CI=true (helpers.raw_sources).
# =============================================================================

ENGINES = ("mkdocs", "zensical")


def pytest_addoption(parser):
    parser.addoption("--engine", choices=ENGINES, default="mkdocs",
                     help="the engine that builds the site under test (default: mkdocs)")


def pytest_collection_modifyitems(config, items):
    left_out = []
    if config.getoption("--engine") != "mkdocs":
        left_out += [item for item in items if not item.get_closest_marker("any_engine")]
    if os.environ.get("HANDBOOK_RAW_SOURCES") == "absent":
        raw = [item for item in items if item.get_closest_marker("raw_sources") and item not in left_out]
        config._raw_sources_left_out = len(raw)
        left_out += raw
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = [item for item in items if item not in left_out]


def pytest_terminal_summary(terminalreporter, config):
    count = getattr(config, "_raw_sources_left_out", 0)
    if count:
        terminalreporter.write_line(
            f"{count} test(s) that read the raw source pages were not run: the raw pages are not in "
            "this checkout (HANDBOOK_RAW_SOURCES=absent). The payload guard ran from committed hashes.",
            yellow=True)


@pytest.fixture(scope="session")
def engine(pytestconfig) -> str:
    """The engine that builds the site under test: "mkdocs" or "zensical"."""
    return pytestconfig.getoption("--engine")


def engine_build(engine: str, dest: Path, tmp: Path, *, strict: bool):
    """Build the site with `engine` into `dest`; return the build's CompletedProcess."""
    if engine == "zensical":
        result = helpers.zensical_build(tmp / "zensical", strict=strict)
        if result.returncode == 0:
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(tmp / "zensical" / "site", dest)
        return result
    return helpers.mkdocs_build(REPO / "mkdocs.yml", dest, strict=strict)


# =============================================================================
# Browser fixtures (tests/test_browser.py): build the site once per session,
# serve it on 127.0.0.1 under /handbook/ as GitHub Pages does, and share one
# headless Chromium.
# =============================================================================

SITE_PREFIX = "handbook"  # the path part of site_url, so 404.html's absolute links resolve
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
# Debian's Chromium (CI, this machine), else Google Chrome (GitHub's runners), else Playwright's own.
# HANDBOOK_CHROMIUM names another browser (tests/test_ci.py sets a missing one).
SYSTEM_CHROMIUM = Path(os.environ["HANDBOOK_CHROMIUM"]) if os.environ.get("HANDBOOK_CHROMIUM") else next(
    (p for p in (Path("/usr/bin/chromium"), Path("/usr/bin/google-chrome")) if p.exists()), Path("/usr/bin/chromium"))


def mkdocs_build(dest: Path, *, offline: bool = False, strict: bool = False) -> Path:
    """Build the site into `dest` (non-strict unless asked: strictness has its own test).

    offline=True builds the derived offline config (scripts/site_config.py)."""
    result = helpers.mkdocs_build(REPO / "mkdocs.yml", dest, "--quiet", strict=strict, offline=offline)
    if result.returncode != 0:
        pytest.fail(f"mkdocs build failed:\n{result.stdout}\n{result.stderr}"[-4000:])
    return dest


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest output clean
        pass


@pytest.fixture(scope="session")
def built_site(tmp_path_factory, engine) -> Path:
    """The site built by the engine under test, in <tmp>/root/handbook/."""
    tmp = tmp_path_factory.mktemp("browser-site")
    if engine == "mkdocs":
        return mkdocs_build(tmp / "root" / SITE_PREFIX)
    result = engine_build(engine, tmp / "root" / SITE_PREFIX, tmp, strict=False)
    if result.returncode != 0:
        pytest.fail(f"{engine} build failed:\n{result.stdout}\n{result.stderr}"[-4000:])
    return tmp / "root" / SITE_PREFIX


@contextlib.contextmanager
def serve_directory(root: Path):
    """Serve `root` with http.server on a free port of 127.0.0.1; yield the site's base URL."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/{SITE_PREFIX}/"
    finally:
        server.shutdown()
        server.server_close()


def point_sitemap_at(site: Path, base_url: str) -> None:
    """Make sitemap.xml name `base_url` instead of the production site_url.

    Material's instant navigation only intercepts links listed in sitemap.xml, and
    it maps the listed URLs to the current protocol and host name but not the port,
    so on 127.0.0.1:<port> it would silently fall back to full page loads.
    """
    sitemap = site / "sitemap.xml"
    if sitemap.exists():
        text = sitemap.read_text(encoding="utf-8")
        sitemap.write_text(re.sub(r"<loc>\s*https?://[^<]*?/" + SITE_PREFIX + "/",
                                  "<loc>" + base_url, text), encoding="utf-8")


@pytest.fixture(scope="session")
def site_url(built_site: Path):
    """Base URL of the built site, served on 127.0.0.1."""
    with serve_directory(built_site.parent) as url:
        point_sitemap_at(built_site, url)
        yield url


@pytest.fixture(scope="session")
def site_pages(built_site: Path) -> list[str]:
    """Every page of the site as a URL relative to site_url ("", "role/", ..., "404.html")."""
    pages = []
    for path in sorted(built_site.rglob("*.html")):
        rel = path.relative_to(built_site).as_posix()
        if rel.startswith("assets/"):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if 'http-equiv="refresh"' in text:  # a redirect stub, not a page
            continue
        pages.append(rel[: -len("index.html")] if rel.endswith("index.html") else rel)
    return pages


@pytest.fixture(scope="module")
def chromium():
    """One headless Chromium per test module (the system one when installed).

    Module scope, not session: a running sync Playwright owns the thread's event loop,
    and other modules start their own sync_playwright(). Without Chromium the tests
    are skipped locally and fail under CI=true.
    """
    try:
        from playwright import sync_api
    except ImportError:
        helpers.unavailable("Playwright is not installed (requirements/test.txt)")
    with sync_api.sync_playwright() as playwright:
        kwargs = {"args": CHROMIUM_ARGS}
        if SYSTEM_CHROMIUM.exists():
            kwargs["executable_path"] = str(SYSTEM_CHROMIUM)
        elif not Path(playwright.chromium.executable_path).exists():
            helpers.unavailable("no Chromium: install the chromium package (.ci/run does with CI=true)")
        browser = playwright.chromium.launch(**kwargs)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def browser_offline_site(tmp_path_factory) -> Path:
    """The offline build (derived config: the offline plugin, no directory URLs), for file://."""
    return mkdocs_build(tmp_path_factory.mktemp("browser-offline") / "site", offline=True)


@pytest.fixture()
def mutated_copy(built_site: Path, tmp_path: Path):
    """A function that copies the site and applies `edit(html) -> html` to one page."""
    def make(page: str, edit) -> Path:
        root = tmp_path / "root"
        shutil.copytree(built_site, root / SITE_PREFIX)
        target = root / SITE_PREFIX / (page + "index.html" if page.endswith("/") or not page else page)
        target.write_text(edit(target.read_text(encoding="utf-8")), encoding="utf-8")
        return root
    return make


# =============================================================================
# Book fixtures (tests/test_pdf.py, tests/test_epub.py): the site built once per
# session with scripts/site_build.py, the function `make pdf` and `make epub` use.
# =============================================================================

@pytest.fixture(scope="session")
def book_site(tmp_path_factory) -> Path:
    """The built site that the PDF and the EPUB are made from."""
    from site_build import build_site

    site = tmp_path_factory.mktemp("book-site") / "site"
    build_site(REPO / "mkdocs.yml", site)
    return site
