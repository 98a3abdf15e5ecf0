"""Which pages link to which anchors of a page: the data behind "Discussed in" and "Cited by".

Shared by scripts/gen_glossary.py and scripts/gen_sources.py (a library, not a command).
Titles come from each page's YAML front matter, parsed with YAML (so a quoted title
such as `title: "Empathy for users: the root skill"` loses its quote marks), then the
page's first H1, then its file name. Links inside code (fenced blocks and `inline
code`) and HTML comments are examples, not references, and are not counted.
"""
from __future__ import annotations

import functools
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

from check_markdown import FENCE, split_front_matter

H1 = re.compile(r"^# (.+?)\s*(\{[^}]*\})?\s*$", re.M)
INLINE_CODE = re.compile(r"(`+).+?\1")
COMMENT = re.compile(r"<!--.*?-->", re.S)
# An inline link "](path#anchor)" or a reference definition "[id]: path#anchor".
LINK = re.compile(r"(?:\]\(|^\[[^\]]+\]:[ \t]*)([^()\[\]\s#]+\.md)#([\w-]+)", re.M)


@dataclass(frozen=True)
class Page:
    """A page that links somewhere: its title and its path under docs/ ("role/index.md")."""
    title: str
    path: str

    def link_from(self, target: str) -> str:
        """A Markdown link to this page, relative to the page `target` (a path under docs/)."""
        href = posixpath.relpath(self.path, posixpath.dirname(target) or ".")
        text = self.title.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
        return f"[{text}]({href})"


def page_title(text: str, fallback: str) -> str:
    """The front-matter title (parsed as YAML), else the first H1, else `fallback`."""
    meta, _ = split_front_matter(text)
    title = str((meta or {}).get("title") or "").strip()
    if not title:
        h1 = H1.search(text)
        title = h1.group(1).strip() if h1 else fallback
    return title


def prose(text: str) -> str:
    """The text without fenced code blocks, inline code spans and HTML comments."""
    kept, fence = [], False
    for line in text.splitlines():
        if FENCE.match(line):
            fence = not fence
            continue
        kept.append("" if fence else INLINE_CODE.sub("", line))
    return COMMENT.sub("", "\n".join(kept))


@functools.lru_cache(maxsize=4096)
def _scan(path: str, mtime_ns: int, size: int) -> tuple[tuple[tuple[str, str], ...], str]:
    """(links to anchors, title) of one page file; read again whenever the file changes.
    Each build asks twice (glossary, sources page), and `mkdocs serve` on every reload."""
    text = Path(path).read_text(encoding="utf-8")
    links = tuple(LINK.findall(prose(text)))
    return links, (page_title(text, Path(path).stem) if links else "")


def pages_linking_to(docs: Path, target: str) -> dict[str, list[Page]]:
    """Map each anchor of docs/<target> to the pages that link to it, in path order."""
    links: dict[str, list[Page]] = {}
    for md in sorted(docs.rglob("*.md")):
        rel = md.relative_to(docs).as_posix()
        if rel == target:
            continue
        stat = md.stat()
        hrefs, title = _scan(str(md), stat.st_mtime_ns, stat.st_size)
        found = sorted({anchor for href, anchor in hrefs
                        if posixpath.normpath(posixpath.join(posixpath.dirname(rel), href)) == target})
        if not found:
            continue
        page = Page(title, rel)
        for anchor in found:
            links.setdefault(anchor, []).append(page)
    return links
