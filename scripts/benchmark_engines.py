"""Compare the two engines on the same content, side by side, from one run.

    .venv/bin/python scripts/benchmark_engines.py [--runs 3] [--chapter role/]

Needs Zensical (`make zensical` installs requirements/zensical.txt) and Chromium.
For MkDocs + Material (`mkdocs build --strict`, hooks included) and for Zensical
(`scripts/site_build.py zensical`: staging the generated pages, `zensical build
--strict`, filling the CSP), it prints:
- build time (median of --runs full builds, alternating engines, one machine, one run)
  and the builds' peak memory (maximum resident set size of the build process);
- the site: pages, bytes on disk, search index raw and gzip-6;
- the bytes a cold first view of a chapter transfers (gzip-6, as GitHub Pages sends
  text), by kind, and requests to other origins (scripts/benchmark_site.py);
- search quality: for every question of tests/search_questions.yml, typed into the
  real search box, whether the expected page comes first, in the top 5, and the mean
  reciprocal rank (1 = always first).
A report, not a test: BENCHMARKS.md keeps the last figures.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import benchmark_site as bench
import yaml

import site_build

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = yaml.safe_load((ROOT / "tests" / "search_questions.yml").read_text(encoding="utf-8"))
SEARCH_UI = {  # (search box, result links), as in tests/test_browser.py
    "mkdocs": ("input.md-search__input", "li.md-search-result__item > a"),
    "zensical": ("dialog input[role=combobox]", "ol[role=listbox] a[role=option]"),
}
NAMES = {"mkdocs": "MkDocs 1.6.1 + Material 9.8.1", "zensical": "Zensical 0.0.73"}


def measured(command: list[str], cwd: Path = ROOT) -> tuple[float, int]:
    """Run a command; return (wall seconds, peak RSS in bytes of the process and its children)."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, cwd=cwd, env=site_build.ENV,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {proc.stderr.read().decode()[-2000:]}")
    return seconds, usage.ru_maxrss * 1024


def build_command(engine: str, out: Path) -> list[str]:
    if engine == "mkdocs":
        mkdocs = Path(sys.executable).with_name("mkdocs")
        return [str(mkdocs), "build", "--strict", "--quiet", "-f", str(ROOT / "mkdocs.yml"), "-d", str(out)]
    return [sys.executable, str(ROOT / "scripts" / "site_build.py"), "zensical", "--out", str(out)]


def site_of(engine: str, out: Path) -> Path:
    return out if engine == "mkdocs" else out / "site"


def index_of(engine: str, site: Path) -> Path:
    return site / ("search/search_index.json" if engine == "mkdocs" else "search.json")


def search_quality(engine: str, root: Path) -> dict:
    """Type every question into the search box; score the expected page's rank."""
    from playwright.sync_api import sync_playwright

    box_selector, results = SEARCH_UI[engine]
    ranks = {}
    server, base = bench.serve(root)
    try:
        with sync_playwright() as p:
            kwargs = {"args": bench.CHROMIUM_ARGS}
            if bench.CHROMIUM.exists():
                kwargs["executable_path"] = str(bench.CHROMIUM)
            browser = p.chromium.launch(**kwargs)
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.goto(base, wait_until="networkidle")
            page.keyboard.press("/")
            box = page.locator(box_selector)
            for query, expected in QUESTIONS.items():
                box.press("Control+a")
                box.press("Backspace")
                box.press_sequentially(query, delay=20)
                links, stable, deadline = None, 0, time.monotonic() + 10
                while time.monotonic() < deadline and stable < 3:
                    time.sleep(0.1)
                    now = page.locator(results).evaluate_all("els => els.map(e => e.href)")
                    stable = stable + 1 if now == links else 0
                    links = now
                pages = [link.split("?")[0].split("#")[0][len(base):] for link in links or []]
                ranks[query] = pages.index(expected) + 1 if expected in pages else None
            browser.close()
    finally:
        server.shutdown()
    found = [r for r in ranks.values() if r]
    return {"first": sum(r == 1 for r in found), "top5": sum(r <= 5 for r in found),
            "mrr": sum(1 / r for r in found) / len(ranks), "total": len(ranks),
            "misses": {q: r for q, r in ranks.items() if r != 1}}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--chapter", default="role/")
    args = parser.parse_args()
    site_build.zensical_executable()  # fail early, with the reason, if Zensical is absent
    tmp = Path(tempfile.mkdtemp(prefix="hb-engines-"))
    engines = ["mkdocs", "zensical"]
    times: dict[str, list[float]] = {e: [] for e in engines}
    memory: dict[str, int] = {e: 0 for e in engines}
    try:
        for run in range(args.runs):
            for engine in engines if run % 2 == 0 else engines[::-1]:
                out = tmp / engine / ("handbook" if engine == "mkdocs" else "project")
                shutil.rmtree(out, ignore_errors=True)
                seconds, rss = measured(build_command(engine, out))
                times[engine].append(seconds)
                memory[engine] = max(memory[engine], rss)
        rows: dict[str, dict] = {}
        for engine in engines:
            out = tmp / engine / ("handbook" if engine == "mkdocs" else "project")
            site = site_of(engine, out)
            root = tmp / f"{engine}-root"
            shutil.copytree(site, root / bench.PREFIX)
            index = index_of(engine, site).read_bytes()
            server, base = bench.serve(root)
            try:
                view = bench.first_view(root / bench.PREFIX, base, args.chapter)
            finally:
                server.shutdown()
            rows[engine] = {
                "time": statistics.median(times[engine]), "times": times[engine], "rss": memory[engine],
                "pages": sum(1 for _ in site.rglob("*.html")),
                "disk": sum(f.stat().st_size for f in site.rglob("*") if f.is_file()),
                "index": (len(index), bench.gz(index)), "view": view,
                "search": search_quality(engine, root),
            }
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    report(rows, args)
    return 0


def report(rows: dict[str, dict], args) -> None:
    m, z = rows["mkdocs"], rows["zensical"]
    print(f"cores {os.cpu_count()}; {args.runs} builds per engine, alternating; first view of /{args.chapter}\n")
    print(f"| What | {NAMES['mkdocs']} | {NAMES['zensical']} | Zensical / MkDocs |")
    print("|---|---|---|---|")

    def row(what: str, a: str, b: str, ratio: float | None = None) -> None:
        print(f"| {what} | {a} | {b} | {'' if ratio is None else f'{ratio:.2f}'} |")

    row("Full strict build, median (all runs)",
        f"{m['time']:.2f} s ({', '.join(f'{t:.2f}' for t in m['times'])})",
        f"{z['time']:.2f} s ({', '.join(f'{t:.2f}' for t in z['times'])})", z["time"] / m["time"])
    row("Peak memory of the build", f"{m['rss'] / 2**20:.0f} MiB", f"{z['rss'] / 2**20:.0f} MiB", z["rss"] / m["rss"])
    row("HTML pages", str(m["pages"]), str(z["pages"]))
    row("Site on disk", bench.kib(m["disk"]), bench.kib(z["disk"]), z["disk"] / m["disk"])
    row("Search index, raw / gzip-6", f"{bench.kib(m['index'][0])} / {bench.kib(m['index'][1])}",
        f"{bench.kib(z['index'][0])} / {bench.kib(z['index'][1])}", z["index"][1] / m["index"][1])
    kinds = sorted(set(m["view"]["sizes"]) | set(z["view"]["sizes"]))
    for kind in kinds:
        a, b = m["view"]["sizes"].get(kind, 0), z["view"]["sizes"].get(kind, 0)
        row(f"First view: {kind}", bench.kib(a), bench.kib(b), b / a if a else None)
    row("**First view, total**", f"**{bench.kib(m['view']['total'])}**", f"**{bench.kib(z['view']['total'])}**",
        z["view"]["total"] / m["view"]["total"])
    row("Requests to other origins", str(len(m["view"]["outside"])), str(len(z["view"]["outside"])))
    ms, zs = m["search"], z["search"]
    row("Search questions, expected page first", f"{ms['first']} of {ms['total']}", f"{zs['first']} of {zs['total']}")
    row("Search questions, expected page in the top 5",
        f"{ms['top5']} of {ms['total']}", f"{zs['top5']} of {zs['total']}")
    row("Search, mean reciprocal rank", f"{ms['mrr']:.2f}", f"{zs['mrr']:.2f}")
    for engine in ("mkdocs", "zensical"):
        misses = rows[engine]["search"]["misses"]
        if misses:
            print(f"\n{NAMES[engine]} misses (rank of the expected page, None = not in the results): "
                  + "; ".join(f"{q!r} {r}" for q, r in misses.items()))


if __name__ == "__main__":
    sys.exit(main())
