"""Print the site's speed figures, side by side with a stock Material build of the same content.

    .venv/bin/python scripts/benchmark_site.py                 # everything but the contributor loop
    .venv/bin/python scripts/benchmark_site.py --no-scale --no-lighthouse   # a minute
    .venv/bin/python scripts/benchmark_site.py --contributor [--contributor-test]
    .venv/bin/python scripts/benchmark_site.py --breakdown --no-scale --no-lighthouse   # cost of each addition

A report, not a test (BENCHMARKS.md keeps the last figures and says how to re-run each).
Every comparison is a ratio from one run, the builds alternating between the two
configurations, so that a busy machine slows both alike; times are given as the minimum
and the median of the runs.

- **Stock**: what a typical user of Material writes for the same content: `theme: material`
  with its default fonts (Google Fonts), the search plugin, no hooks, no template
  overrides, no extra CSS or JavaScript, and only what the content needs to build (the
  same Markdown extensions, `exclude_docs` for docs/templates/, the same nav). Its
  config is generated into a temporary folder (stock_config()). Google Fonts cannot be
  fetched here (no network): its requests are counted as requests to another host and
  their bytes are not measurable.
- **Build**: `mkdocs build` of ours (strict, hooks and all) and of stock, alternating,
  --runs times: wall time (min, median) and peak memory (resident set size).
- **Scale**: every part folder (scripts/check_markdown.py PARTS) copied to 10 and 40
  times the content, each copy added to the nav as one more part, the copy committed
  to a fresh git repository (so "Last updated" dates come from git, as in CI); ours and
  stock built alternating, --scale-runs times: time per page, peak memory, and the
  share of a chapter's HTML that is the navigation.
- **First view**: every request of a cold first view of the home page and of a chapter
  (headless Chromium), sized as GitHub Pages sends it (text gzipped at level 6), by kind;
  requests to other hosts; what blocks rendering (render_blocking()).
- **Lighthouse 12**: performance, accessibility, best practices and SEO, mobile and
  desktop, the home page and the chapter, the median of --lighthouse-runs runs, against
  a local server that gzips as GitHub Pages does (simulated throttling).
- **Size**: the deployed site (`make build` output, downloads not included) by kind, and
  the offline zip (scripts/build_offline.py).
- **Contributor loop** (--contributor): `make check`; the first `make serve` (a fresh
  environment installing requirements/docs.txt from the pip cache, then until the server
  answers); with --contributor-test also `make test` (minutes).
"""
from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import site_config
from bs4 import BeautifulSoup

from check_markdown import PARTS

REPO = Path(__file__).resolve().parent.parent
PREFIX = "handbook"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
TEXT_TYPES = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".map", ".webmanifest")
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true")
SKIP = {".git", ".venv", "node_modules", "site", "build", ".pytest_cache", "__pycache__"}
CHAPTER = "role/"
SCALE_PAGE = "role/lifecycle/index.html"  # a chapter whose nav share is measured at scale
KINDS = ("HTML", "CSS", "JS", "search index", "images", "fonts", "other")


def kib(n: float) -> str:
    return f"{n / 1024:.1f} KiB"


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def spread(values: list[float], unit: str = "s", scale: float = 1.0) -> str:
    """'min 1.23 s, median 1.30 s (1.23, 1.41, 1.30)'."""
    shown = ", ".join(f"{v * scale:.2f}" for v in values)
    return f"min {min(values) * scale:.2f} {unit}, median {statistics.median(values) * scale:.2f} {unit} ({shown})"


# --- configurations -------------------------------------------------------------

def copy_project(dest: Path, source: Path = REPO) -> Path:
    """A copy of what the build reads (no .git, .venv, node_modules, site, build)."""
    shutil.copytree(source, dest, ignore=lambda d, names: [n for n in names if n in SKIP])
    return dest


def stock_config(project: Path, out: Path, *, filled: bool = False) -> Path:
    """A stock Material config for `project`'s content, written to out/mkdocs.yml.

    filled=True builds the pages as readers get them: scripts/generate.py stages a copy of
    docs/ into out/docs with the generated lists and dates filled in (as for Zensical),
    so stock converts and indexes the same pages as ours without running any hook."""
    ours = site_config.absolute_paths(site_config.load(project / "mkdocs.yml"), project)
    docs = ours["docs_dir"]
    if filled:
        import generate
        docs = str(generate.stage(out / "docs", Path(docs), root=project))
    stock = {
        "site_name": ours["site_name"],
        "site_url": ours["site_url"],
        "docs_dir": docs,
        "exclude_docs": ours.get("exclude_docs", ""),  # the content: docs/templates/ are pages
        "theme": {"name": "material"},
        "plugins": ["search"],
        "markdown_extensions": ours["markdown_extensions"],
        "nav": ours["nav"],
    }
    out.mkdir(parents=True, exist_ok=True)
    path = out / "mkdocs.yml"
    path.write_text(site_config.dump(stock, "Stock Material config of the handbook's content "
                                     "(scripts/benchmark_site.py)."), encoding="utf-8")
    return path


def scale_project(factor: int, dest: Path) -> tuple[Path, int]:
    """A copy of the project with every part copied to `factor` times, each copy in the nav
    as one more part, committed to a fresh git repository. Returns (project, Markdown pages)."""
    project = copy_project(dest)
    config = site_config.load(project / "mkdocs.yml")
    nav = config["nav"]
    copies = []
    for part in PARTS:
        entry = next((e for e in nav if isinstance(e, dict) and _nav_paths(e)
                      and all(p.startswith(f"{part}/") for p in _nav_paths(e))), None)
        if entry is None or not (project / "docs" / part).is_dir():
            continue
        for i in range(2, factor + 1):
            shutil.copytree(project / "docs" / part, project / "docs" / f"{part}-{i}")
            title, pages = next(iter(entry.items()))
            copies.append({f"{title} ({i})": _renamed(pages, f"{part}/", f"{part}-{i}/")})
    config["nav"] = nav + copies
    (project / "mkdocs.yml").write_text(site_config.dump(config, "Scale copy (scripts/benchmark_site.py)."),
                                        encoding="utf-8")
    git = {**ENV, "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.org",
           "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.org"}
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "scale copy"]):
        subprocess.run(["git", *command], cwd=project, env=git, check=True, capture_output=True)
    return project, sum(1 for _ in (project / "docs").rglob("*.md"))


def _nav_paths(entry) -> list[str]:
    if isinstance(entry, str):
        return [entry]
    if isinstance(entry, dict):
        return [p for v in entry.values() for p in _nav_paths(v)]
    if isinstance(entry, list):
        return [p for v in entry for p in _nav_paths(v)]
    return []


def _renamed(entry, old: str, new: str):
    if isinstance(entry, str):
        return new + entry[len(old):] if entry.startswith(old) else entry
    if isinstance(entry, dict):
        return {k: _renamed(v, old, new) for k, v in entry.items()}
    return [_renamed(v, old, new) for v in entry]


# --- building -------------------------------------------------------------------

def build(config: Path, site: Path, *, strict: bool = False) -> tuple[float, int, float]:
    """Build `config` into `site`; return (wall seconds, peak RSS bytes, CPU seconds) of the build.

    CPU time (user + system, the build and its children) is what the comparisons use: on a
    shared machine, wall time also counts the time other processes held the cores."""
    if site.exists():
        shutil.rmtree(site)
    command = [sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", str(config), "-d", str(site),
               "--strict" if strict else "--no-strict"]
    start = time.perf_counter()
    proc = subprocess.Popen(command, cwd=config.parent, env=ENV, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"build of {config} failed:\n{proc.stderr.read().decode()[-3000:]}")
    proc.stderr.close()
    return seconds, usage.ru_maxrss * 1024, usage.ru_utime + usage.ru_stime


def alternate(builds: dict[str, tuple[Path, Path, bool]], runs: int) -> dict[str, dict]:
    """Build each {name: (config, site, strict)} `runs` times, alternating (the order
    flips every run); return {name: {"times": [wall], "cpu": [cpu], "rss": peak}}."""
    out = {name: {"times": [], "cpu": [], "rss": 0} for name in builds}
    names = list(builds)
    for run in range(runs):
        for name in (names if run % 2 == 0 else names[::-1]):
            config, site, strict = builds[name]
            seconds, rss, cpu = build(config, site, strict=strict)
            out[name]["times"].append(seconds)
            out[name]["cpu"].append(cpu)
            out[name]["rss"] = max(out[name]["rss"], rss)
    return out


def breakdown_configs(project: Path, out: Path) -> dict[str, Path]:
    """Ours with one addition left out at a time, and ours with all of them left out
    ("bare": the theme settings, template overrides and search only), for --breakdown."""
    import copy
    ours = site_config.absolute_paths(site_config.load(project / "mkdocs.yml"), project)
    keep = [h for h in ours["hooks"] if "page_assets" in h]  # the templates need it
    variants = {}
    for hook in ours["hooks"]:
        if hook in keep:
            continue
        config = copy.deepcopy(ours)
        config["hooks"] = [h for h in ours["hooks"] if h != hook]
        variants[f"without {Path(hook).name}"] = config
    for name in site_config.plugin_names(ours):
        if name in ("search", "material/search"):
            continue
        config = copy.deepcopy(ours)
        config["plugins"] = [p for p in site_config.plugin_list(ours) if next(iter(p)) != name]
        variants[f"without the {name} plugin"] = config
    bare = copy.deepcopy(ours)
    bare["hooks"] = keep
    bare["plugins"] = [p for p in site_config.plugin_list(ours) if next(iter(p)) in ("search", "material/search")]
    variants["bare (no hooks but page_assets, no plugin but search)"] = bare
    out.mkdir(parents=True, exist_ok=True)
    paths = {}
    for i, (name, config) in enumerate(variants.items()):
        paths[name] = out / f"variant-{i}.yml"
        paths[name].write_text(site_config.dump(config, name), encoding="utf-8")
    return paths


def nav_share(page: Path) -> tuple[int, float]:
    """(bytes of the page, share of them in the primary sidebar: the site navigation)."""
    import re
    html = page.read_text(encoding="utf-8")
    start = html.find('<div class="md-sidebar md-sidebar--primary"')
    if start < 0:
        return len(html.encode()), 0.0
    depth, end = 0, start
    for tag in re.finditer(r"<(/?)div\b", html[start:]):  # the matching </div>
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            end = start + tag.end()
            break
    return len(html.encode()), len(html[start:end].encode()) / len(html.encode())


def html_bytes(site: Path) -> tuple[int, int]:
    pages = list(site.rglob("*.html"))
    return len(pages), sum(p.stat().st_size for p in pages)


# --- serving and the first view ---------------------------------------------------

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
        return io.BytesIO(body)


def serve(root: Path):
    handler = functools.partial(GzipHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/{PREFIX}/"


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
    files = []
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
        files.append((rel or "index.html", size))
    return {"sizes": sizes, "total": sum(sizes.values()), "outside": outside, "files": files}


def render_blocking(html: str) -> list[str]:
    """What holds up a page's first paint beyond two style sheets: the theme's two, or
    (MkDocs, hooks/page_assets.py) the one that joins them to the handbook's.

    In <head>: any other style sheet for the screen, more than two of these, any script
    file that is neither deferred, async nor a module. In <body>: any such script file
    (parser-blocking: Lighthouse counts one that arrives before the first paint as
    render-blocking). tests/test_speed.py proves it on tests/fixtures/speed/
    blocking-page.html and three-style-sheets.html."""
    import re
    theme_css = re.compile(r"assets/stylesheets/(?:classic/|modern/)?(?:main|palette|handbook)\.[0-9a-f]+\.min\.css$")
    allowed = []

    def deferred(script) -> bool:
        return script.has_attr("defer") or script.has_attr("async") or script.get("type") == "module"

    soup = BeautifulSoup(html, "html.parser")
    found = []
    for el in soup.head.find_all(["link", "script"]):
        if el.name == "link" and "stylesheet" in (el.get("rel") or []):
            if el.get("media", "all") not in ("all", "screen"):
                continue
            if theme_css.search(el["href"]):
                allowed.append(el["href"])
            else:
                found.append(f"style sheet {el['href']} in <head> blocks rendering")
        elif el.name == "script" and el.get("src") and not deferred(el):
            found.append(f"script {el['src']} in <head> blocks rendering")
    if len(allowed) > 2:
        found.append(f"{len(allowed)} theme style sheets in <head> block rendering (at most two): {', '.join(allowed)}")
    found += [f"script {el['src']} in <body> blocks the parser (neither deferred nor async)"
              for el in soup.body.find_all("script", src=True) if not deferred(el)]
    return found


def head_blocking(html: str) -> list[str]:
    """Every render-blocking request of a page: screen style sheets and plain script files
    in <head>, and plain script files in <body> before the theme's bundle."""
    soup = BeautifulSoup(html, "html.parser")
    found = [el["href"] for el in soup.head.find_all("link", rel="stylesheet")
             if el.get("media", "all") in ("all", "screen")]
    found += [el["src"] for el in soup.head.find_all("script", src=True)
              if not (el.has_attr("defer") or el.has_attr("async") or el.get("type") == "module")]
    return found


# --- Lighthouse -------------------------------------------------------------------

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
        return {"error": (result.stderr.strip().splitlines() or ["failed"])[-1]}
    report = json.loads(result.stdout)
    scores = {k: round(v["score"] * 100) for k, v in report["categories"].items()}
    audits = report["audits"]
    metrics = {k: audits[k]["numericValue"] for k in
               ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time",
                "cumulative-layout-shift", "speed-index")}
    misses = []
    for cat in report["categories"].values():
        for ref in cat["auditRefs"]:
            audit = audits[ref["id"]]
            if ref.get("weight") and audit.get("score") is not None and audit["score"] < 1:
                misses.append(f"{ref['id']} {audit.get('displayValue', '')}".strip())
    blocking = [i.get("url", "") for i in (audits.get("render-blocking-insight", {}).get("details") or {})
                .get("items", [])]
    return {"scores": scores, "metrics": metrics, "misses": misses, "blocking": blocking}


def lighthouse_runs(url: str, desktop: bool, runs: int) -> dict | None:
    results = []
    for _ in range(runs):
        result = lighthouse(url, desktop)
        if result is None:
            return None
        if "error" in result:
            return result
        results.append(result)
    perf = [r["scores"]["performance"] for r in results]
    median_run = sorted(results, key=lambda r: r["scores"]["performance"])[len(results) // 2]
    return {"runs": results, "perf": perf, "median": median_run,
            "scores": {k: statistics.median(r["scores"][k] for r in results) for k in results[0]["scores"]},
            "metrics": {k: statistics.median(r["metrics"][k] for r in results) for k in results[0]["metrics"]}}


# --- size -------------------------------------------------------------------------

DOWNLOADS = "downloads (not in the total)"


def site_size(site: Path) -> dict[str, int]:
    """Bytes of the built site by kind. The PDF and EPUB that `make pdf` and `make epub`
    left in build/download/ (the site publishes them) are shown apart, not in the total:
    the target is about the site itself, and they are there only when built."""
    kinds = {"HTML pages": 0, "search index": 0, "JS": 0, "CSS": 0, "images": 0, "source maps": 0,
             "search languages (lunr)": 0, "other": 0, DOWNLOADS: 0}
    for path in site.rglob("*"):
        if not path.is_file():
            continue
        rel = path.relative_to(site).as_posix()
        size = path.stat().st_size
        if rel.startswith("download/"):
            kind = DOWNLOADS
        elif rel.endswith(".map"):
            kind = "source maps"
        elif rel.startswith("assets/javascripts/lunr/"):
            kind = "search languages (lunr)"
        elif rel.endswith(".html"):
            kind = "HTML pages"
        elif "search_index" in rel:
            kind = "search index"
        elif rel.endswith(".js"):
            kind = "JS"
        elif rel.endswith(".css"):
            kind = "CSS"
        elif path.suffix in (".svg", ".png", ".jpg", ".webp", ".ico"):
            kind = "images"
        else:
            kind = "other"
        kinds[kind] += size
    kinds["total"] = sum(size for kind, size in kinds.items() if kind != DOWNLOADS)
    return kinds


# --- contributor loop ---------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def contributor(tmp: Path, with_test: bool) -> None:
    print("\n== Contributor loop")
    start = time.perf_counter()
    result = subprocess.run(["make", "check"], cwd=REPO, env=ENV, capture_output=True, text=True)
    print(f"  make check: {time.perf_counter() - start:.1f} s"
          + ("" if result.returncode == 0 else f"  (exit {result.returncode})"))

    venv = tmp / "fresh-venv"
    start = time.perf_counter()
    python = shutil.which("python3") or sys.executable
    subprocess.run([python, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    for args in (["pip==26.0.1"], ["--require-hashes", "-r", str(REPO / "requirements" / "docs.txt")]):
        subprocess.run([*pip, *args], check=True, capture_output=True)  # as the Makefile does
    installed = time.perf_counter() - start
    port = free_port()
    url = f"http://127.0.0.1:{port}/{PREFIX}/"
    server = subprocess.Popen([str(venv / "bin" / "mkdocs"), "serve", "--dev-addr", f"127.0.0.1:{port}",
                               "--livereload"], cwd=REPO, env=ENV,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    served = None
    try:
        deadline = time.perf_counter() + 300
        while time.perf_counter() < deadline:
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        served = time.perf_counter() - start - installed
                        break
            except OSError:
                time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(timeout=30)
    packages = sum(1 for line in (REPO / "requirements" / "docs.txt").open() if "==" in line)
    answer = f"until the server answers {served:.1f} s" if served else "the server did not answer"
    print(f"  first make serve: {installed + (served or 0):.1f} s = environment {installed:.1f} s "
          f"(python -m venv, pip, {packages} locked packages from the pip cache) + {answer}")
    if with_test:  # on the Makefile's pytest-xdist workers (WORKERS)
        start = time.perf_counter()
        result, cpu, how = run_counting_cpu(["make", "test"], cwd=REPO, env=ENV, capture_output=True, text=True)
        wall = time.perf_counter() - start
        tail = result.stdout.strip().splitlines()[-1:] or [""]
        print(f"  make test: {wall:.0f} s, CPU {cpu:.0f} s ({how}), load average at the end "
              f"{os.getloadavg()[0]:.1f} ({tail[0].strip('= ')})")


CGROUPS = (Path("/sys/fs/cgroup/cpuacct"), Path("/sys/fs/cgroup"))  # cgroup v1 (cpuacct), v2


def _cgroup_usage(group: Path) -> float:
    """CPU seconds used by every process that ever ran in `group` (v1 cpuacct or v2)."""
    if (group / "cpuacct.usage").exists():
        return int((group / "cpuacct.usage").read_text()) / 1e9
    stat = dict(line.split() for line in (group / "cpu.stat").read_text().splitlines())
    return int(stat["usage_usec"]) / 1e6


def _join(procs: Path) -> None:
    procs.write_text(str(os.getpid()))


def run_counting_cpu(command: list[str], **kwargs) -> tuple[subprocess.CompletedProcess, float, str]:
    """Run `command`; return (result, CPU seconds, how they were counted).

    In a control group of its own where the machine allows it, so that every process the
    command starts is counted, Chromium's included: Chromium's renderers are not reaped
    by the processes that started them, and getrusage(RUSAGE_CHILDREN) misses them
    (half of `make test`'s CPU time, measured both ways). Else getrusage, and says so."""
    import resource

    for root in CGROUPS:
        group = root / f"handbook-bench-{os.getpid()}"
        try:
            group.mkdir()
        except OSError:
            continue
        try:
            join = functools.partial(_join, group / "cgroup.procs")  # in the child, before it runs command
            result = subprocess.run(command, preexec_fn=join, **kwargs)
            return result, _cgroup_usage(group), f"every process, cgroup {group}"
        finally:
            try:
                group.rmdir()
            except OSError:  # a process still in it: leave the group
                pass
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run(command, **kwargs)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return result, cpu, "getrusage: processes not reaped by their parents, such as Chromium's renderers, missed"


# --- main -------------------------------------------------------------------------

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chapter", default=CHAPTER, help=f"chapter page for the first view ({CHAPTER})")
    parser.add_argument("--runs", type=int, default=5, help="alternating builds at 1x (5)")
    parser.add_argument("--scale", default="10,40", help="content factors for the scale test (10,40)")
    parser.add_argument("--scale-runs", type=int, default=2, help="alternating builds per factor (2)")
    parser.add_argument("--no-scale", action="store_true")
    parser.add_argument("--lighthouse-runs", type=int, default=5, help="Lighthouse runs per page and form (5)")
    parser.add_argument("--no-lighthouse", action="store_true")
    parser.add_argument("--lighthouse-stock", action="store_true", help="also run Lighthouse (mobile) on stock")
    parser.add_argument("--no-zip", action="store_true", help="skip the offline zip")
    parser.add_argument("--breakdown", action="store_true",
                        help="also build ours leaving out one hook or plugin at a time (CPU, 1x)")
    parser.add_argument("--contributor", action="store_true", help="time make check and the first make serve")
    parser.add_argument("--contributor-test", action="store_true", help="also time make test (minutes)")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="hb-bench-"))
    try:
        print(f"cores {os.cpu_count()}; load average at start {os.getloadavg()[0]:.1f}")
        run(args, tmp)
        if args.contributor or args.contributor_test:
            contributor(tmp, args.contributor_test)
        print(f"\nload average at the end {os.getloadavg()[0]:.1f}")
        return 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run(args, tmp: Path) -> None:
    chapter = args.chapter
    # ---- build at 1x
    stock_yml = stock_config(REPO, tmp / "stock-config")
    filled_yml = stock_config(REPO, tmp / "stock-filled-config", filled=True)
    sites = {"ours": tmp / "ours" / PREFIX, "stock": tmp / "stock" / PREFIX}
    print(f"\n== Build at 1x, alternating, {args.runs} runs each: ours (mkdocs build --strict, hooks and all),"
          " stock (the same docs/), stock filled (the pages as readers get them, generated beforehand)")
    builds = alternate({"ours": (REPO / "mkdocs.yml", sites["ours"], True),
                        "stock": (stock_yml, sites["stock"], False),
                        "stock filled": (filled_yml, tmp / "stock-filled" / PREFIX, False)}, args.runs)
    for name, b in builds.items():
        print(f"  {name:<12} CPU {spread(b['cpu'])}")
        print(f"  {'':<12} wall {spread(b['times'])}; peak memory {b['rss'] / 2**20:.0f} MiB")
    for base in ("stock", "stock filled"):
        o, s = builds["ours"], builds[base]
        print(f"  ours / {base}: CPU min {min(o['cpu']) / min(s['cpu']):.2f}, median "
              f"{statistics.median(o['cpu']) / statistics.median(s['cpu']):.2f}; wall min "
              f"{min(o['times']) / min(s['times']):.2f}, median "
              f"{statistics.median(o['times']) / statistics.median(s['times']):.2f}; memory {o['rss'] / s['rss']:.2f}")
    if args.breakdown:
        print(f"\n== What each addition costs: ours leaving one out, alternating with stock, {args.runs} runs")
        variants = breakdown_configs(REPO, tmp / "variants")
        out = alternate({"stock": (stock_yml, tmp / "v-stock" / PREFIX, False),
                         "ours (same flags: non-strict)": (REPO / "mkdocs.yml", tmp / "v-ours" / PREFIX, False),
                         **{name: (path, tmp / f"v-{i}" / PREFIX, False)
                            for i, (name, path) in enumerate(variants.items())}}, args.runs)
        base = min(out["stock"]["cpu"])
        for name in out:
            cpu = min(out[name]["cpu"])
            print(f"  {name:<54} CPU min {cpu:.2f} s, median {statistics.median(out[name]['cpu']):.2f} s; "
                  f"/ stock {cpu / base:.2f}")
    md_pages = sum(1 for _ in (REPO / "docs").rglob("*.md"))
    html_count = sum(1 for _ in sites["ours"].rglob("*.html"))
    print(f"  pages: {md_pages} Markdown, {html_count} HTML (with 404.html)")

    # ---- size
    print("\n== Deployed site (make build, no downloads)")
    sizes = {name: site_size(site) for name, site in sites.items()}
    for kind in sizes["ours"]:
        print(f"  {kind:<26} ours {sizes['ours'][kind] / 1e6:6.2f} MB   stock {sizes['stock'][kind] / 1e6:6.2f} MB")
    pages, total_html = html_bytes(sites["ours"])
    print(f"  HTML per page: ours {total_html / pages / 1024:.1f} KiB, stock "
          f"{html_bytes(sites['stock'])[1] / html_bytes(sites['stock'])[0] / 1024:.1f} KiB")
    index = (sites["ours"] / "search" / "search_index.json").read_bytes()
    print(f"  search index: {kib(len(index))} raw, {kib(gz(index))} gzip-6, "
          f"{len(json.loads(index)['docs'])} entries")
    if not args.no_zip:
        zip_file = tmp / "handbook-offline.zip"
        subprocess.run([sys.executable, str(REPO / "scripts" / "build_offline.py"), "--out", str(zip_file)],
                       check=True, env=ENV, capture_output=True)
        print(f"  offline zip (scripts/build_offline.py): {zip_file.stat().st_size / 1e6:.2f} MB")

    # ---- first view
    view = {}
    servers = {}
    try:
        for name, site in sites.items():
            servers[name] = serve(site.parent)
        for page in ("", chapter):
            print(f"\n== First view of /{page} (cold cache, gzip-6 as GitHub Pages sends text)")
            for name, site in sites.items():
                view[name, page] = first_view(site, servers[name][1], page)
            o, s = view["ours", page], view["stock", page]
            for kind in KINDS:
                if kind in o["sizes"] or kind in s["sizes"]:
                    print(f"  {kind:<13} ours {kib(o['sizes'].get(kind, 0)):>10}   "
                          f"stock {kib(s['sizes'].get(kind, 0)):>10}")
            print(f"  {'total':<13} ours {kib(o['total']):>10}   stock {kib(s['total']):>10}   "
                  f"ours / stock {o['total'] / s['total']:.2f}   (ours {o['total'] / 1000:.1f} KB; target <= 80 KB)")
            for name in ("ours", "stock"):
                hosts = sorted({u.split("/")[2] for u in view[name, page]["outside"]})
                print(f"  {name} requests to other hosts: {len(view[name, page]['outside'])}"
                      + (f" ({', '.join(hosts)}; bytes not measurable here, no network)" if hosts else ""))
                html = (sites[name] / (page + "index.html")).read_text(encoding="utf-8")
                blocking = head_blocking(html)
                print(f"  {name} render-blocking requests in the HTML: {len(blocking)} "
                      f"({', '.join(b.rsplit('/', 1)[-1] for b in blocking)})")
            names = [(rel if rel.endswith(".html") else rel.rsplit("/", 1)[-1], size) for rel, size in o["files"]]
            print("  ours, every request (KiB): " + ", ".join(f"{rel or page + 'index.html'} {size / 1024:.1f}"
                                                               for rel, size in names))

        # ---- Lighthouse
        if not args.no_lighthouse:
            print(f"\n== Lighthouse 12 (local gzip server; median of {args.lighthouse_runs} runs; "
                  f"load average {os.getloadavg()[0]:.1f})")
            if not (REPO / "node_modules" / ".bin" / "lighthouse").exists():
                print("  skipped: run `npm ci` first")
            else:
                targets = [("ours", p, d) for p in ("", chapter) for d in (False, True)]
                if args.lighthouse_stock:
                    targets += [("stock", p, False) for p in ("", chapter)]
                for name, page, desktop in targets:
                    result = lighthouse_runs(servers[name][1] + page, desktop, args.lighthouse_runs)
                    label = f"{name} /{page} {'desktop' if desktop else 'mobile'}"
                    if result is None:
                        break
                    if "error" in result:
                        print(f"  {label:<26} error: {result['error']}")
                        continue
                    scores = "  ".join(f"{k} {v:g}" for k, v in result["scores"].items())
                    m = result["metrics"]
                    print(f"  {label:<26} {scores}   performance per run {result['perf']}")
                    print(f"  {'':<26} median FCP {m['first-contentful-paint'] / 1000:.2f} s, LCP "
                          f"{m['largest-contentful-paint'] / 1000:.2f} s, TBT {m['total-blocking-time']:.0f} ms, "
                          f"CLS {m['cumulative-layout-shift']:.3f}, SI {m['speed-index'] / 1000:.2f} s")
                    blocking = result["median"]["blocking"]
                    print(f"  {'':<26} render-blocking (Lighthouse, median run): {len(blocking)} "
                          f"({', '.join(u.rsplit('/', 1)[-1] for u in blocking)})")
                    for miss in result["median"]["misses"]:
                        print(f"  {'':<28}- {miss}")
    finally:
        for server, _ in servers.values():
            server.shutdown()

    # ---- scale
    if args.no_scale:
        return
    factors = [int(f) for f in args.scale.split(",") if f.strip()]
    print(f"\n== Scale: every part copied, each copy one more part in the nav; "
          f"{args.scale_runs} alternating runs per factor (non-strict builds)")
    rows = {}
    for factor in factors:
        project, md = scale_project(factor, tmp / f"x{factor}-src")
        stock_yml = stock_config(project, tmp / f"x{factor}-stock-config", filled=True)
        # One build first, not counted: it draws every copy's link-preview card into
        # build/cache/social/ once, as any first build of new pages does; the runs
        # compared are rebuilds, as stock's are.
        _, _, first = build(project / "mkdocs.yml", tmp / f"x{factor}-ours" / PREFIX)
        print(f"  {factor}x: first build of ours (draws the new pages' cards; not counted): CPU {first:.1f} s")
        out = alternate({"ours": (project / "mkdocs.yml", tmp / f"x{factor}-ours" / PREFIX, False),
                         "stock": (stock_yml, tmp / f"x{factor}-stock" / PREFIX, False)}, args.scale_runs)
        rows[factor] = {"pages": md, **out}
        print(f"  {factor}x: {md} Markdown pages (stock: filled pages)")
        for name in ("ours", "stock"):
            cpu = out[name]["cpu"]
            size, share = nav_share(tmp / f"x{factor}-{name}" / PREFIX / SCALE_PAGE)
            count, total = html_bytes(tmp / f"x{factor}-{name}" / PREFIX)
            out[name]["per_page"] = min(cpu) / md
            print(f"    {name:<6} CPU {spread(cpu)}; wall {spread(out[name]['times'])}")
            print(f"    {'':<6} {1000 * min(cpu) / md:.1f} ms CPU per page (min); peak memory "
                  f"{out[name]['rss'] / 2**20:.0f} MiB; /{SCALE_PAGE}: {size / 1024:.0f} KiB, navigation "
                  f"{share:.0%} of it; HTML {total / 1e6:.1f} MB in {count} pages")
            if name == "ours":  # the policy pass again (idempotent), to show its share
                import csp
                start = time.process_time()
                csp.fill_site(tmp / f"x{factor}-ours" / PREFIX)
                print(f"    {'':<6} of which filling the CSP (scripts/csp.py, two streaming passes): "
                      f"{time.process_time() - start:.1f} s CPU")
            shutil.rmtree(tmp / f"x{factor}-{name}", ignore_errors=True)
        print(f"    ours / stock: CPU {min(out['ours']['cpu']) / min(out['stock']['cpu']):.2f}, "
              f"memory {out['ours']['rss'] / out['stock']['rss']:.2f}")
        shutil.rmtree(project, ignore_errors=True)
        shutil.rmtree(tmp / f"x{factor}-stock-config", ignore_errors=True)
    if len(factors) >= 2:
        low, high = factors[0], factors[-1]
        for name in ("ours", "stock"):
            ratio = rows[high][name]["per_page"] / rows[low][name]["per_page"]
            print(f"  {name}: CPU per page at {high}x / at {low}x = {ratio:.2f} "
                  "(1.00 = linear; target for ours <= 1.10)")


if __name__ == "__main__":
    sys.exit(main())
