"""Shared pytest fixtures. Each group says which tests use it; add yours in a group of your own."""
from __future__ import annotations

import contextlib
import functools
import http.server
import json
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


# =============================================================================
# Shared artifacts: `make test` runs on several pytest-xdist workers, and each
# expensive artifact (the site, the offline site, the PDF, the EPUB, the zip) is built
# once per run for all of them: the first worker that asks builds it under a file
# lock in the run's shared temporary folder, and the others wait and reuse it. A
# failed build is recorded with its output, so every worker reports it, once built.
# =============================================================================

def shared_artifact(tmp_path_factory, name: str, build) -> tuple[Path, dict]:
    """(folder, outcome) of `build(folder) -> outcome` (a JSON-able dict), run once per test run.

    Under xdist every worker's temporary folder is <run>/popen-gwN: <run> is shared."""
    from filelock import FileLock

    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent
    folder = base / f"shared-{name}"
    with FileLock(str(folder) + ".lock"):
        record = base / f"shared-{name}.json"
        if not record.exists():
            if folder.exists():
                shutil.rmtree(folder)
            folder.mkdir(parents=True)
            record.write_text(json.dumps(build(folder)), encoding="utf-8")
    return folder, json.loads(record.read_text(encoding="utf-8"))


def outcome(result) -> dict:
    """A CompletedProcess as a JSON-able dict."""
    return {"returncode": result.returncode, "stdout": result.stdout or "", "stderr": result.stderr or ""}


def shared_run(tmp_path_factory, name: str, command) -> Path:
    """Run a build script once per test run: command(folder) -> argv. Fails as check=True would."""
    import subprocess
    import sys

    def build(folder):
        return outcome(subprocess.run([sys.executable, *command(folder)], capture_output=True, text=True,
                                      env=helpers.ENV, timeout=1200))
    folder, result = shared_artifact(tmp_path_factory, name, build)
    if result["returncode"] != 0:
        pytest.fail(f"{name}: the build failed (exit {result['returncode']}):\n"
                    f"{result['stdout']}\n{result['stderr']}"[-4000:])
    return folder


def strict_site(tmp_path_factory, engine: str) -> tuple[Path, dict]:
    """The site built strictly by `engine`, once per run: (folder/root/handbook, build outcome).

    tests/test_build.py's `site` asserts this build had no warnings; the browser and
    site checks use it too (built_site), unless it failed."""
    def build(folder):
        return outcome(engine_build(engine, folder / "root" / SITE_PREFIX, folder, strict=True))
    folder, result = shared_artifact(tmp_path_factory, f"site-{engine}-strict", build)
    return folder / "root" / SITE_PREFIX, result


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


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site; its sitemap.xml names this server (point_sitemap_at), the file is left alone."""

    def log_message(self, *args):  # keep pytest output clean
        pass

    def do_GET(self):
        if self.path.split("?")[0].endswith("/sitemap.xml"):
            file = Path(self.translate_path(self.path))
            if file.is_file():
                base = f"http://{self.server.server_address[0]}:{self.server.server_address[1]}/{SITE_PREFIX}/"
                body = point_sitemap_at(file.read_text(encoding="utf-8"), base).encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "application/xml")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
        super().do_GET()


@pytest.fixture(scope="session")
def built_site(tmp_path_factory, engine) -> Path:
    """The site built by the engine under test, in <shared>/root/handbook/, once per run.

    It is the strict build of tests/test_build.py. Should that fail (a warning under
    strict), the browser checks still get a site: a non-strict build, as before."""
    site, result = strict_site(tmp_path_factory, engine)
    if result["returncode"] == 0:
        return site

    def lenient(folder):
        if engine == "mkdocs":
            return outcome(helpers.mkdocs_build(REPO / "mkdocs.yml", folder / "root" / SITE_PREFIX, "--quiet",
                                                strict=False))
        return outcome(engine_build(engine, folder / "root" / SITE_PREFIX, folder, strict=False))
    folder, result = shared_artifact(tmp_path_factory, f"site-{engine}-lenient", lenient)
    if result["returncode"] != 0:
        pytest.fail(f"{engine} build failed:\n{result['stdout']}\n{result['stderr']}"[-4000:])
    return folder / "root" / SITE_PREFIX


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


def point_sitemap_at(text: str, base_url: str) -> str:
    """The text of sitemap.xml naming `base_url` instead of the production site_url.

    Material's instant navigation only intercepts links listed in sitemap.xml, and
    it maps the listed URLs to the current protocol and host name but not the port,
    so on 127.0.0.1:<port> it would silently fall back to full page loads. Each server
    rewrites it as it serves it (_QuietHandler): the built site is shared by every
    pytest-xdist worker, each with its own server and port.
    """
    return re.sub(r"<loc>\s*https?://[^<]*?/" + SITE_PREFIX + "/", "<loc>" + base_url, text)


@pytest.fixture(scope="session")
def site_url(built_site: Path):
    """Base URL of the built site, served on 127.0.0.1."""
    with serve_directory(built_site.parent) as url:
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


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium per test process (the system one when installed); each test
    opens contexts of its own. A launch costs about 1 s of CPU: one per module and
    pytest-xdist worker cost about 12 s a run.

    No test starts another sync_playwright() in the process (it would find this one's
    event loop running). Without Chromium the tests are skipped locally and fail under
    CI=true.
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


def offline_strict(tmp_path_factory) -> tuple[Path, dict]:
    """The offline build (derived config: the offline plugin, no directory URLs), built
    strictly once per run: (site folder, build outcome). tests/test_build.py asserts it
    had no warnings; the file:// browser checks use it (browser_offline_site)."""
    def build(folder):
        return outcome(helpers.mkdocs_build(REPO / "mkdocs.yml", folder / "site", strict=True, offline=True))
    folder, result = shared_artifact(tmp_path_factory, "offline-site-strict", build)
    return folder / "site", result


@pytest.fixture(scope="session")
def browser_offline_site(tmp_path_factory) -> Path:
    """The offline build for file://, once per run: the strict one, or, should a warning
    fail that (tests/test_build.py reports it), a non-strict build, as built_site does."""
    site, result = offline_strict(tmp_path_factory)
    if result["returncode"] == 0:
        return site

    def build(folder):
        return outcome(helpers.mkdocs_build(REPO / "mkdocs.yml", folder / "site", "--quiet", strict=False,
                                            offline=True))
    folder, result = shared_artifact(tmp_path_factory, "offline-site-lenient", build)
    if result["returncode"] != 0:
        pytest.fail(f"mkdocs build failed:\n{result['stdout']}\n{result['stderr']}"[-4000:])
    return folder / "site"


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
    """The built site that the PDF and the EPUB are made from (once per run).

    `make pdf` and `make epub` build it with scripts/site_build.py (`mkdocs build
    --no-strict`); with no warning, that is the same site as the strict build the other
    suites share, so the strict build is used when it passed (tests/test_build.py
    reports it when it did not). tests/test_offline.py runs site_build.py itself."""
    import subprocess

    from site_build import build_site

    site, result = strict_site(tmp_path_factory, "mkdocs")
    if result["returncode"] == 0:
        return site

    def build(folder):
        try:
            build_site(REPO / "mkdocs.yml", folder / "site")
        except subprocess.CalledProcessError as error:
            return {"returncode": error.returncode, "stdout": "", "stderr": str(error)}
        return {"returncode": 0, "stdout": "", "stderr": ""}
    folder, result = shared_artifact(tmp_path_factory, "book-site", build)
    if result["returncode"] != 0:
        pytest.fail(f"scripts/site_build.py: the build failed: {result['stderr']}")
    return folder / "site"


# =============================================================================
# One visit to every page per width and colour scheme, shared by tests/test_browser.py
# (axe; network and CSP), tests/test_reading.py (the survey at each width) and
# tests/test_search_and_citations.py (page facts): test_browser.every_page_visit.
# =============================================================================

@pytest.fixture(scope="session")
def axe_pages(site_pages, engine) -> list[str]:
    """The pages axe checks: every page on the MkDocs build; the sample on another engine's."""
    from test_browser import AXE_SAMPLE
    return site_pages if engine == "mkdocs" else [p for p in AXE_SAMPLE if p in site_pages]


@pytest.fixture(scope="module")
def visits(chromium, site_url, site_pages, axe_pages, tmp_path_factory, engine):
    """visits(width, scheme) -> {page: what one visit there found}: test_browser.every_page_visit."""
    from test_browser import every_page_visit
    done: dict[tuple[int, str], dict] = {}

    def at(width: int, scheme: str) -> dict:
        if (width, scheme) not in done:
            done[width, scheme] = every_page_visit(chromium, site_url, site_pages, axe_pages,
                                                   tmp_path_factory, engine, width, scheme)
        return done[width, scheme]
    return at


@pytest.fixture(scope="module")
def at_desktop(visits) -> dict:
    """{page: what one visit at 1280 px, light, found}."""
    return visits(1280, "light")
