"""MkDocs hook: fill the sources page from the repository's records, so it never goes stale.

In docs/sources.md:
- `<!-- cited-by: s3 -->` becomes a list of the pages whose footnotes cite `sources.md#s3`;
- `<!-- references -->` becomes the outside reference list from sources/references.yml,
  each entry a paragraph with the anchor id that footnotes link to.
Unknown markers, a reference without author/title/year, or a duplicate id stop the build.
"""
from __future__ import annotations

import re
from pathlib import Path

import yaml

from backlinks import pages_linking_to

MARKER = re.compile(r"<!--\s*(cited-by|references)\s*:?\s*([\w-]*)\s*-->")


def load_references(path: Path) -> list[dict]:
    """The outside references, checked for required fields and unique ids."""
    refs = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    seen: set[str] = set()
    for ref in refs:
        missing = [k for k in ("id", "author", "title", "year") if not ref.get(k)]
        if missing:
            raise ValueError(f"{path}: reference {ref.get('id', ref)} lacks {', '.join(missing)}")
        if not re.fullmatch(r"r-[a-z0-9-]+", ref["id"]) or ref["id"] in seen:
            raise ValueError(f"{path}: bad or duplicate reference id {ref['id']!r}")
        seen.add(ref["id"])
    return refs


def render_references(refs: list[dict]) -> str:
    """One paragraph per reference: author, *title*, year, address; anchored by id."""
    out = []
    for ref in sorted(refs, key=lambda r: (r["author"].lower(), str(r["year"]))):
        url = f" <{ref['url']}>" if ref.get("url") else ""
        out.append(f"{ref['author']}. *{ref['title']}*. {ref['year']}.{url}\n{{ #{ref['id']} }}\n")
    return "\n".join(out)


def fill(markdown: str, citing: dict[str, list[tuple[str, str]]], refs: list[dict]) -> str:
    """Replace every marker in the sources page; `citing` maps a source id to its pages."""
    def replace(match: re.Match) -> str:
        kind, arg = match.groups()
        if kind == "references":
            return render_references(refs)
        pages = citing.get(arg, [])
        if not pages:
            return "No chapter cites this source yet."
        return "\n".join(f"- [{title}]({path})" for title, path in pages)
    return MARKER.sub(replace, markdown)


def on_page_markdown(markdown: str, page, config, files) -> str:
    """Fill the markers on the sources page; leave every other page alone."""
    if page.file.src_uri != "sources.md":
        return markdown
    root = Path(config.config_file_path).parent
    citing = pages_linking_to(Path(config.docs_dir), "sources.md")
    return fill(markdown, citing, load_references(root / "sources" / "references.yml"))
