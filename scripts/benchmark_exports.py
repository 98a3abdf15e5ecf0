"""Time the downloads and print their figures: PDF, EPUB and offline zip (time, pages, size),
where the PDF's time goes, and `make pdf` against an earlier commit.

Builds everything into a temporary folder (build/download/ is left alone) with the real
scripts, as `make pdf`, `make epub` and `make offline` would. Targets: PDF in under 30 s
of processor time and under 5 MB; with --against, `make pdf` at most 20% slower than at
REV. Processor time (user + system, the build and its children) is what the targets
use: on a shared machine wall-clock time varies twofold from run to run.

--against REV exports REV with `git archive` and builds the PDF with REV's scripts and
this checkout's scripts in turn (ROUNDS times each, alternating, in one run, so that
a busy machine slows both alike), each from its own tree, site build included; it
prints the medians and their ratio, in processor time (user + system of the build and
its children, which other work on the machine hardly changes) and in wall-clock time.

Usage: python scripts/benchmark_exports.py [--against REV] [--rounds 3] [--no-profile]
"""
from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import re
import resource
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from pathlib import Path

from pypdf import PdfReader

SCRIPTS = Path(__file__).resolve().parent
ROOT = SCRIPTS.parent
PDF_SECONDS, PDF_MB, SLOWER = 30, 5, 1.20
# Where the PDF's time goes: (label, file suffix, function) of cProfile's cumulative times.
PHASES = [
    ("site build (MkDocs)", "site_build.py", "build_site"),
    ("book HTML from the site (BeautifulSoup)", "build_pdf.py", "make_book"),
    ("WeasyPrint: parse HTML and cascade CSS", "css/__init__.py", "get_all_computed_styles"),
    ("WeasyPrint: build boxes", "formatting_structure/build.py", "build_formatting_structure"),
    ("WeasyPrint: lay out pages", "layout/__init__.py", "layout_document"),
    ("fill in cross-reference page numbers", "build_pdf.py", "fill_page_numbers"),
    ("WeasyPrint: draw pages into the PDF", "document.py", "paint"),
    ("WeasyPrint: tag the PDF (PDF/UA)", "pdf/tags.py", "add_tags"),
    ("WeasyPrint: embed font subsets", "pdf/fonts.py", "build_fonts_dictionary"),
]


def measured(*command: str, cwd: Path = ROOT) -> tuple[float, float]:
    """Run a command quietly; return (wall-clock seconds, processor seconds of it and its children)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def profile_pdf(out: Path) -> tuple[float, list[tuple[str, float]]]:
    """Build the PDF in this process under cProfile; return (total s, [(phase, s)])."""
    sys.path.insert(0, str(SCRIPTS))
    import book
    import build_pdf
    from site_build import build_site

    profiler = cProfile.Profile()
    with tempfile.TemporaryDirectory() as tmp:
        profiler.enable()
        start = time.perf_counter()
        build_site(ROOT / "mkdocs.yml", Path(tmp) / "site")
        book_html, _ = build_pdf.make_book(ROOT / "mkdocs.yml", Path(tmp) / "site", book.edition_date())
        build_pdf.render(book_html, out, "a4", Path(tmp) / "site")
        total = time.perf_counter() - start
        profiler.disable()
    stats = pstats.Stats(profiler, stream=io.StringIO()).stats
    phases = []
    for label, suffix, name in PHASES:
        seconds = sum(value[3] for (file, _, function), value in stats.items()
                      if function == name and file.endswith(suffix))
        phases.append((label, seconds))
    return total, phases


def against(rev: str, rounds: int) -> dict[str, dict[str, float]]:
    """Median wall-clock and processor seconds of `make pdf` at REV ("old") and here ("new")."""
    with tempfile.TemporaryDirectory() as tmp:
        old = Path(tmp) / "old"
        old.mkdir()
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev], check=True, capture_output=True).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(old, filter="data")
        runs: dict[str, list[tuple[float, float]]] = {"old": [], "new": []}
        for _ in range(rounds):
            for name, tree in (("old", old), ("new", ROOT)):
                out = Path(tmp) / f"{name}.pdf"
                runs[name].append(measured(sys.executable, str(tree / "scripts" / "build_pdf.py"), "--out", str(out),
                                           cwd=tree))
        for name, label in (("old", rev), ("new", "this checkout")):
            pages = len(PdfReader(Path(tmp) / f"{name}.pdf").pages)
            print(f"  {label}: {pages} pages; wall {', '.join(f'{w:.1f}' for w, _ in runs[name])} s; "
                  f"processor {', '.join(f'{c:.1f}' for _, c in runs[name])} s")
        return {name: {"wall": statistics.median(w for w, _ in r), "cpu": statistics.median(c for _, c in r)}
                for name, r in runs.items()}


def epub_chapters(path: Path) -> int:
    with zipfile.ZipFile(path) as zf:
        return sum(1 for name in zf.namelist() if re.search(r"/page-[^/]+\.xhtml$", name))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", metavar="REV", help="also time `make pdf` at this commit, alternating")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-profile", action="store_true", help="skip the breakdown of the PDF's time")
    args = parser.parse_args()
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        pdf, epub, zip_file = Path(tmp) / "handbook.pdf", Path(tmp) / "handbook.epub", Path(tmp) / "offline.zip"
        pdf_wall, pdf_cpu = measured(sys.executable, str(SCRIPTS / "build_pdf.py"), "--out", str(pdf))
        epub_wall, epub_cpu = measured(sys.executable, str(SCRIPTS / "build_epub.py"), "--out", str(epub))
        zip_wall, zip_cpu = measured(sys.executable, str(SCRIPTS / "build_offline.py"), "--out", str(zip_file))
        pages, pdf_mb = len(PdfReader(pdf).pages), pdf.stat().st_size / 1e6
        epub_mb, chapters, zip_mb = epub.stat().st_size / 1e6, epub_chapters(epub), zip_file.stat().st_size / 1e6
        ok = pdf_cpu < PDF_SECONDS and pdf_mb < PDF_MB
        print(f"cores            {os.cpu_count()}, load average {os.getloadavg()[0]:.1f}")
        print("build times: wall clock and processor (the build and its children; the targets use it)")
        print(f"PDF build time   {pdf_wall:.1f} s, processor {pdf_cpu:.1f} s   (target < {PDF_SECONDS} s)")
        print(f"PDF pages        {pages}")
        print(f"PDF size         {pdf_mb:.2f} MB   (target < {PDF_MB} MB)")
        print(f"EPUB build time  {epub_wall:.1f} s, processor {epub_cpu:.1f} s   (site build included)")
        print(f"EPUB size        {epub_mb:.2f} MB   ({chapters} chapter files)")
        print(f"offline build    {zip_wall:.1f} s, processor {zip_cpu:.1f} s")
        print(f"offline zip size {zip_mb:.2f} MB")
        if not args.no_profile:
            total, phases = profile_pdf(Path(tmp) / "profiled.pdf")
            print(f"Where the PDF's time goes (one build under cProfile, {total:.1f} s with its overhead):")
            for label, seconds in phases:
                print(f"  {label:<42} {seconds:5.1f} s  {100 * seconds / total:3.0f} %")
    if args.against:
        print(f"make pdf against {args.against} ({args.rounds} rounds, alternating):")
        medians = against(args.against, args.rounds)
        for kind in ("cpu", "wall"):
            old, new = medians["old"][kind], medians["new"][kind]
            label = "processor time" if kind == "cpu" else "wall-clock time"
            print(f"  {label}: median {old:.1f} s at {args.against}, {new:.1f} s here: ratio {new / old:.2f}"
                  f"{f' (target <= {SLOWER:.2f})' if kind == 'cpu' else ''}")
        ok = ok and medians["new"]["cpu"] / medians["old"]["cpu"] <= SLOWER
    print("within targets" if ok else "OVER TARGET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
