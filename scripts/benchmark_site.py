"""Print the site's speed figures: build time, first-view bytes, search index, Lighthouse.

    .venv/bin/python scripts/benchmark_site.py [--no-lighthouse] [--chapter role/]

What it measures (a report, not a test; BENCHMARKS.md keeps the last figures):
- the full strict build time (and a non-strict one if the strict build fails);
- the bytes a first view of a chapter transfers, gzip level 6 as GitHub Pages sends
  text, split into HTML, CSS, JS, search index and images (headless Chromium loads
  the page from a local server and lists every request it makes);
- the search index, raw and compressed;
- Lighthouse 12 scores (performance, accessibility, best practices, SEO), mobile and
  desktop, for the home page and the chapter, against a local server that gzips as
  GitHub Pages does. Needs `npm ci` (package.json) and Chromium; CHROME_PATH is set
  to /usr/bin/chromium when it exists;
- the same content built with Material's defaults (Google Fonts on, i.e. without
  `font: false`), and with 10 copies of every chapter, for two ratios: our first-view
  bytes against the defaults, and build time per page at 10x against 1x.
"""
from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from check_markdown import PARTS

REPO = Path(__file__).resolve().parent.parent
PREFIX = "handbook"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
TEXT_TYPES = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".map", ".webmanifest")
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true")


def kib(n: float) -> str:
    return f"{n / 1024:.1f} KiB"


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


# --- building -----------------------------------------------------------------

def build(config_dir: Path, site: Path, strict: bool) -> tuple[bool, float, str]:
    """Build with the config in `config_dir`; return (ok, seconds, last lines of output)."""
    cmd = [sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(site),
           "--strict" if strict else "--no-strict"]
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=config_dir, env=ENV, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-3:])
    return result.returncode == 0, seconds, tail


def copy_project(dest: Path) -> Path:
    """A copy of what the build reads (no .git, .venv, node_modules, site, build)."""
    skip = {".git", ".venv", "node_modules", "site", "build", ".pytest_cache", "__pycache__"}
    shutil.copytree(REPO, dest, ignore=lambda d, names: [n for n in names if n in skip])
    return dest


def count_pages(docs: Path) -> int:
    return sum(1 for _ in docs.rglob("*.md"))


# --- serving ------------------------------------------------------------------

class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Serve files as GitHub Pages does: text types gzipped (level 6) when asked for."""

    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        wants = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (wants and path.is_file() and path.suffix in TEXT_TYPES):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        import io
        return io.BytesIO(body)


def serve(root: Path):
    handler = functools.partial(GzipHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/{PREFIX}/"


# --- first view ---------------------------------------------------------------

def category(url: str) -> str:
    path = url.split("?")[0].split("#")[0]
    if "search_index" in path or path.endswith("/search.json"):  # Material, Zensical
        return "search index"
    if path.endswith("/") or path.endswith(".html"):
        return "HTML"
    for suffix, name in ((".css", "CSS"), (".js", "JS"), (".svg", "images"), (".png", "images"),
                         (".jpg", "images"), (".webp", "images"), (".ico", "images"),
                         (".woff2", "fonts"), (".woff", "fonts"), (".ttf", "fonts")):
        if path.endswith(suffix):
            return name
    return "other"


def first_view(site: Path, base: str, page: str) -> dict:
    """Requests made by a first (cold cache) view of `page`, with their gzip-6 sizes."""
    from playwright.sync_api import sync_playwright

    urls, outside = [], []
    with sync_playwright() as p:
        kwargs = {"args": CHROMIUM_ARGS}
        if CHROMIUM.exists():
            kwargs["executable_path"] = str(CHROMIUM)
        browser = p.chromium.launch(**kwargs)
        ctx = browser.new_context(viewport={"width": 1280, "height": 800})
        tab = ctx.new_page()
        tab.on("request", lambda r: (urls if r.url.startswith(base) else outside).append(r.url))
        tab.goto(base + page, wait_until="networkidle")
        browser.close()
    sizes: dict[str, int] = {}
    for url in dict.fromkeys(urls):  # each file once, in order
        rel = url[len(base):].split("?")[0].split("#")[0]
        path = site / rel
        if path.is_dir() or rel == "":
            path = path / "index.html"
        if not path.is_file():
            continue
        data = path.read_bytes()
        size = gz(data) if path.suffix in TEXT_TYPES else len(data)
        sizes[category(url)] = sizes.get(category(url), 0) + size
    return {"sizes": sizes, "total": sum(sizes.values()), "outside": outside}


# --- Lighthouse ---------------------------------------------------------------

def lighthouse(url: str, desktop: bool) -> dict | None:
    binary = REPO / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        return None
    env = dict(os.environ)
    if CHROMIUM.exists():
        env["CHROME_PATH"] = str(CHROMIUM)
    cmd = [str(binary), url, "--output=json", "--output-path=stdout", "--quiet",
           "--only-categories=performance,accessibility,best-practices,seo",
           "--chrome-flags=--headless=new " + " ".join(CHROMIUM_ARGS)]
    if desktop:
        cmd.append("--preset=desktop")
    result = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    if result.returncode != 0:
        return {"error": result.stderr.strip().splitlines()[-1:] or ["failed"]}
    report = json.loads(result.stdout)
    scores = {k: round(v["score"] * 100) for k, v in report["categories"].items()}
    misses = []
    for cat in report["categories"].values():
        for ref in cat["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref.get("weight") and audit.get("score") is not None and audit["score"] < 1:
                misses.append(f"{ref['id']} {audit.get('displayValue', '')}".strip())
    return {"scores": scores, "misses": misses}


# --- main ---------------------------------------------------------------------

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chapter", default="role/", help="chapter page for first view (role/)")
    parser.add_argument("--no-lighthouse", action="store_true")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="hb-bench-"))
    try:
        return run(args, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run(args, tmp: Path) -> int:
    print("== Build")
    ok, strict_s, tail = build(REPO, tmp / "strict" / PREFIX, strict=True)
    print(f"strict build: {strict_s:.2f} s" + ("" if ok else f"  (FAILED: {tail.splitlines()[-1]})"))
    site = tmp / "strict" / PREFIX
    if not ok:
        ok, loose_s, tail = build(REPO, tmp / "loose" / PREFIX, strict=False)
        print(f"non-strict build: {loose_s:.2f} s" + ("" if ok else f"  (FAILED: {tail})"))
        site = tmp / "loose" / PREFIX
        if not ok:
            return 1
    pages_1x = count_pages(REPO / "docs")
    html_pages = sum(1 for _ in site.rglob("*.html"))
    print(f"pages: {pages_1x} Markdown, {html_pages} HTML; site on disk: "
          f"{kib(sum(f.stat().st_size for f in site.rglob('*') if f.is_file()))}")

    print("\n== Search index")
    index = (site / "search" / "search_index.json").read_bytes()
    print(f"search_index.json: {kib(len(index))} raw, {kib(gz(index))} gzip-6, "
          f"{len(json.loads(index)['docs'])} entries")

    server, base = serve(site.parent)
    try:
        print(f"\n== First view of /{args.chapter} (gzip-6, cold cache)")
        ours = first_view(site, base, args.chapter)
        for name in ("HTML", "CSS", "JS", "search index", "images", "fonts", "other"):
            if name in ours["sizes"]:
                print(f"  {name:<13} {kib(ours['sizes'][name]):>10}")
        print(f"  {'total':<13} {kib(ours['total']):>10}   (target <= 120 KiB; "
              f"without the search index {kib(ours['total'] - ours['sizes'].get('search index', 0))})")
        print(f"  requests leaving the site: {len(ours['outside'])}")

        if not args.no_lighthouse:
            print("\n== Lighthouse 12 (local server, gzip as GitHub Pages)")
            if not (REPO / "node_modules" / ".bin" / "lighthouse").exists():
                print("  skipped: run `npm ci` first")
            for page in ("", args.chapter):
                for desktop in (False, True):
                    result = lighthouse(base + page, desktop)
                    if result is None:
                        break
                    label = f"/{page} {'desktop' if desktop else 'mobile'}"
                    if "error" in result:
                        print(f"  {label:<22} error: {result['error']}")
                        continue
                    scores = "  ".join(f"{k} {v}" for k, v in result["scores"].items())
                    print(f"  {label:<22} {scores}")
                    for miss in result["misses"]:
                        print(f"  {'':<24}- {miss}")
    finally:
        server.shutdown()

    print("\n== Material defaults (Google Fonts on)")
    defaults = copy_project(tmp / "defaults-src")
    config = (defaults / "mkdocs.yml").read_text(encoding="utf-8")
    (defaults / "mkdocs.yml").write_text(re.sub(r"(?m)^  font: false\n", "", config), encoding="utf-8")
    ok, _, tail = build(defaults, tmp / "defaults" / PREFIX, strict=False)
    if ok:
        server, dbase = serve(tmp / "defaults")
        try:
            theirs = first_view(tmp / "defaults" / PREFIX, dbase, args.chapter)
        finally:
            server.shutdown()
        print(f"  first view, local bytes: {kib(theirs['total'])}; ours / defaults = "
              f"{ours['total'] / theirs['total']:.2f}")
        print(f"  plus {len(theirs['outside'])} request(s) to Google Fonts "
              f"({', '.join(sorted({u.split('/')[2] for u in theirs['outside']}))}), "
              "not measurable here (no network); ours makes none")
    else:
        print(f"  build failed: {tail}")

    print("\n== Build time at 1x and 10x pages (non-strict, same copy)")
    one = copy_project(tmp / "x1-src")
    ok1, s1, _ = build(one, tmp / "x1" / PREFIX, strict=False)
    ten = copy_project(tmp / "x10-src")
    for part in PARTS:
        for i in range(2, 11):
            shutil.copytree(ten / "docs" / part, ten / "docs" / f"{part}-copy{i}")
    ok10, s10, tail = build(ten, tmp / "x10" / PREFIX, strict=False)
    p1, p10 = count_pages(one / "docs"), count_pages(ten / "docs")
    if ok1 and ok10:
        print(f"  1x:  {p1:4d} pages {s1:6.2f} s  {1000 * s1 / p1:6.1f} ms/page")
        print(f"  10x: {p10:4d} pages {s10:6.2f} s  {1000 * s10 / p10:6.1f} ms/page")
        print(f"  ms/page 10x / 1x = {(s10 / p10) / (s1 / p1):.2f}  (1.0 = linear; below 1 = fixed costs amortized)")
    else:
        print(f"  build failed: {tail}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
