"""Fail when a docs page shares a run of eight words with a source.

The sources' 8-word runs are kept as SHA-256 fingerprints in
sources/fingerprints.txt (written by scripts/ingest_sources.py), so the check
needs no raw source text. With --sources DIR it fingerprints raw pages instead.

Usage: python scripts/originality.py [--sources DIR] [FILES or DIRS ...]
"""
from __future__ import annotations

import argparse
import hashlib
import re
import sys
from pathlib import Path

from check_markdown import markdown_files
from report import emit

ROOT = Path(__file__).resolve().parent.parent
FINGERPRINTS = ROOT / "sources" / "fingerprints.txt"
RUN = 8
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                         "\u2013": "-", "\u2014": "-", "\u00a0": " "})
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z0-9]+)*")


def words(text: str) -> list[str]:
    """Normalised words: lower case, curly quotes straightened, punctuation dropped."""
    return [w.replace("'", "") for w in _WORD.findall(text.translate(_QUOTES).lower())]


def fingerprint(run: list[str]) -> str:
    """Short SHA-256 fingerprint of one run of words."""
    return hashlib.sha256(" ".join(run).encode()).hexdigest()[:16]


def fingerprints(text: str) -> set[str]:
    """Fingerprints of every 8-word run in a text."""
    w = words(text)
    return {fingerprint(w[i:i + RUN]) for i in range(len(w) - RUN + 1)}


def load_fingerprints(path: Path = FINGERPRINTS) -> set[str]:
    """Read the committed fingerprint file (one hex digest a line, # comments)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return {ln.strip() for ln in lines if ln.strip() and not ln.startswith("#")}


def copied_runs(text: str, known: set[str]) -> list[tuple[int, str]]:
    """(line number, copied words) for each stretch of text found in the sources."""
    tokens: list[tuple[str, int]] = []
    for lineno, line in enumerate(text.splitlines(), 1):
        tokens.extend((w, lineno) for w in words(line))
    hits = [i for i in range(len(tokens) - RUN + 1)
            if fingerprint([t[0] for t in tokens[i:i + RUN]]) in known]
    found: list[tuple[int, str]] = []
    start = end = None
    for i in hits + [None]:
        if start is not None and (i is None or i > end + 1):
            found.append((tokens[start][1], " ".join(t[0] for t in tokens[start:end + RUN])))
            start = None
        if i is not None:
            start = i if start is None else start
            end = i
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*")
    parser.add_argument("--sources", help="folder of raw source pages to fingerprint")
    args = parser.parse_args(argv)
    if args.sources:
        known = set().union(*(fingerprints(p.read_text(encoding="utf-8", errors="replace"))
                              for p in sorted(Path(args.sources).glob("*.txt"))))
    else:
        known = load_fingerprints()
    problems = [f"{path}:{lineno}: copied from a source: \"{run}\""
                for path in markdown_files(args.paths)
                for lineno, run in copied_runs(path.read_text(encoding="utf-8"), known)]
    if problems:
        print(f"{len(problems)} copied run(s) of {RUN}+ words: rewrite them in your own words.",
              file=sys.stderr)
    return emit(problems, "Originality")


if __name__ == "__main__":
    sys.exit(main())
