"""Fill the glossary: an A-Z jump bar, and under each entry the pages that discuss it.

A glossary entry is a heading `### Term { #id }` in docs/glossary.md, inside a letter
section `## A`. This generator adds, in the page it renders (never in the source file):
- before the first letter section, a bar of links to every letter section;
- at the end of each entry, a separate paragraph "*Discussed in:*" linking every page
  that links to `glossary.md#id` (scripts/backlinks.py), left out of the search index.

Engine-independent: hooks/generated_pages.py calls render() for MkDocs, and
scripts/generate.py writes the filled page into the staged docs tree for Zensical.

Usage: python scripts/gen_glossary.py [DOCS_DIR]   (prints the filled page)
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

from markdown.extensions.toc import slugify

from backlinks import Page, pages_linking_to

ROOT = Path(__file__).resolve().parent.parent
PAGE = "glossary.md"
ENTRY = re.compile(r"^### .+\{\s*#([\w-]+)\s*\}\s*$")
# The lists are navigation, not content: left out of the search index (Material and
# Zensical both honour the attribute), so the glossary does not match chapter titles.
SEARCH_EXCLUDE = "{ data-search-exclude }"
SECTION = re.compile(r"^## (.+?)\s*(?:\{[^}]*#([\w-]+)[^}]*\})?\s*$")


def jump_bar(markdown: str) -> str:
    """Links to every letter section (`## A`), by the id the toc extension gives it."""
    links = []
    for line in markdown.splitlines():
        match = SECTION.match(line)
        if match:
            label, explicit = match.groups()
            links.append(f'<a href="#{explicit or slugify(label, "-")}">{label}</a>')
    if not links:
        return ""
    return ('<nav class="hb-az" aria-label="Glossary sections, A to Z">\n'
            + "\n".join(links) + "\n</nav>\n")


def add_backlinks(markdown: str, links: dict[str, list[Page]], page: str = PAGE) -> str:
    """Close every entry with its own 'Discussed in' paragraph; put the jump bar first."""
    out: list[str] = []
    current: str | None = None
    bar = jump_bar(markdown)

    def close() -> None:
        pages = links.get(current or "")
        if pages:
            while out and not out[-1].strip():  # a paragraph of its own, whatever came before
                out.pop()
            out.extend(["", "*Discussed in:* " + ", ".join(p.link_from(page) for p in pages),
                        SEARCH_EXCLUDE, ""])

    for line in markdown.splitlines():
        entry = ENTRY.match(line)
        section = SECTION.match(line)
        if entry or section:
            close()
            current = entry.group(1) if entry else None
            if section and bar:
                out.extend([bar, ""] if not out or not out[-1].strip() else ["", bar, ""])
                bar = ""
        out.append(line)
    close()
    return "\n".join(out).rstrip("\n") + "\n"


def render(markdown: str, docs: Path) -> str:
    """The glossary page as readers see it."""
    return add_backlinks(markdown, pages_linking_to(docs, PAGE))


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    docs = Path(args[0]) if args else ROOT / "docs"
    sys.stdout.write(render((docs / PAGE).read_text(encoding="utf-8"), docs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
