"""Under each chapter's title: "Part 3 · Chapter 2 · 6 min read".

A chapter is a page of a part of the book: a `nav` section of mkdocs.yml whose title
starts "Part N:". N is that number; the chapter number is the page's place in its part
(the part's overview page is chapter 1); the reading time is the words a reader sees,
at 200 a minute, rounded, at least one minute. The line goes right after the page's H1,
as a paragraph left out of the search index (`data-search-exclude`, which Material and
Zensical both honour), so it is in the page itself on both engines. Pages outside the
parts (home, Common questions, glossary, templates, sources) get nothing.

render() is called for every page by scripts/generate.py.

Usage: python scripts/gen_chapter_meta.py SRC_URI   (e.g. eq/empathy.md; prints the page)
"""
from __future__ import annotations

import math
import re
import sys
from pathlib import Path

import site_config

ROOT = Path(__file__).resolve().parent.parent
WORDS_PER_MINUTE = 200
PART = re.compile(r"^Part (\d+):")
FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
H1 = re.compile(r"^# .*$", re.M)
CLASS = "hb-chapter-meta"


def chapters(nav: list) -> dict[str, tuple[int, int]]:
    """Page path under docs/ -> (part number, chapter number), from the nav's "Part N:" sections."""
    found: dict[str, tuple[int, int]] = {}
    for item in nav or []:
        if not isinstance(item, dict):
            continue
        for title, value in item.items():
            match = PART.match(str(title))
            if match and isinstance(value, list):
                pages = [v if isinstance(v, str) else next(iter(v.values())) for v in value]
                for number, page in enumerate((p for p in pages if isinstance(p, str)), 1):
                    found[page] = (int(match.group(1)), number)
    return found


def visible_words(markdown: str) -> int:
    """Words a reader sees: no front matter, footnote definitions, link targets, table
    rules, HTML tags or comments, code fences' markers or abbreviation definitions."""
    text = FRONT_MATTER.sub("", markdown)
    text = re.sub(r"<!--.*?-->", " ", text, flags=re.S)
    text = re.sub(r"^\[\^[^\]]+\]:.*(\n {4}.*)*", "", text, flags=re.M)
    text = re.sub(r"^\*\[[^\]]+\]:.*$", "", text, flags=re.M)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    text = re.sub(r"^\|[-:| ]+\|$", "", text, flags=re.M)
    text = re.sub(r"^\s*(```|~~~).*$", "", text, flags=re.M)
    text = re.sub(r"\{[:#.][^}]*\}|<[^>]+>", " ", text)
    return len(re.findall(r"[A-Za-z0-9][\w'\u2019-]*", text))


def minutes(markdown: str) -> int:
    """Reading time in whole minutes (at least 1)."""
    return max(1, math.floor(visible_words(markdown) / WORDS_PER_MINUTE + 0.5))


def line(part: int, chapter: int, read: int) -> str:
    return (f'<p class="{CLASS}" data-search-exclude>'
            f"<span>Part {part}</span> \u00b7 <span>Chapter {chapter}</span> \u00b7 "
            f"<span>{read} min read</span></p>")


def render(markdown: str, src_uri: str, table: dict[str, tuple[int, int]]) -> str:
    """The page with its chapter line after the H1, if it is a chapter and has an H1."""
    if src_uri not in table or CLASS in markdown:
        return markdown
    front = FRONT_MATTER.match(markdown)
    start = front.end() if front else 0
    h1 = H1.search(markdown, start)
    if not h1:
        return markdown
    part, chapter = table[src_uri]
    return f"{markdown[:h1.end()]}\n\n{line(part, chapter, minutes(markdown))}\n{markdown[h1.end():]}"


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    if len(args) != 1:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    table = chapters(site_config.load().get("nav"))
    sys.stdout.write(render((ROOT / "docs" / args[0]).read_text(encoding="utf-8"), args[0], table))
    return 0


if __name__ == "__main__":
    sys.exit(main())
