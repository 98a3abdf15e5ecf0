"""Shared by the sources-page and glossary hooks (not a hook itself): which pages link where.

`pages_linking_to(docs, "glossary.md")` maps each anchor of docs/glossary.md to the
pages that link to it, so each hook reads the docs once per build.
"""
from __future__ import annotations

import re
from pathlib import Path

TITLE = re.compile(r"^title:\s*(.+)$", re.M)


def pages_linking_to(docs: Path, target: str) -> dict[str, list[tuple[str, str]]]:
    """Map each anchor of docs/<target> to the (title, path) of every other page linking to it."""
    link = re.compile(re.escape(target) + r"#([\w-]+)")
    links: dict[str, list[tuple[str, str]]] = {}
    for md in sorted(docs.rglob("*.md")):
        if md == docs / target:
            continue
        text = md.read_text(encoding="utf-8")
        title = TITLE.search(text)
        page = ((title.group(1).strip() if title else md.stem), md.relative_to(docs).as_posix())
        for anchor in sorted(set(link.findall(text))):
            links.setdefault(anchor, []).append(page)
    return links
