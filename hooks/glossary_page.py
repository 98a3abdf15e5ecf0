"""MkDocs hook: under each glossary entry, list the pages that link to it.

A glossary entry is a heading `### Term { #id }` in docs/glossary.md. The hook adds
"Discussed in:" with a link to every page that links to `glossary.md#id`, so the
glossary always points to where the handbook discusses each term.
"""
from __future__ import annotations

import re
from pathlib import Path

from backlinks import pages_linking_to

ENTRY = re.compile(r"^### .+\{\s*#([\w-]+)\s*\}\s*$")


def add_backlinks(markdown: str, links: dict[str, list[tuple[str, str]]]) -> str:
    """Insert a 'Discussed in' line at the end of every entry."""
    out: list[str] = []
    current: str | None = None

    def close() -> None:
        if current and links.get(current):
            pages = ", ".join(f"[{t}]({p})" for t, p in links[current])
            out.extend([f"*Discussed in:* {pages}", ""])

    for line in markdown.splitlines():
        match = ENTRY.match(line)
        if match or line.startswith("## "):
            close()
            current = match.group(1) if match else None
        out.append(line)
    close()
    return "\n".join(out) + "\n"


def on_page_markdown(markdown: str, page, config, files) -> str:
    """Add backlinks on the glossary page only."""
    if page.file.src_uri != "glossary.md":
        return markdown
    return add_backlinks(markdown, pages_linking_to(Path(config.docs_dir), "glossary.md"))
