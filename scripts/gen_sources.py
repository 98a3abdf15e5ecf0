"""Fill the sources page from the repository's records, and check its markers.

In docs/sources.md (the page as rendered; the source file keeps its markers):
- `<!-- cited-by: s3 -->` becomes a list of the pages whose links cite `sources.md#s3`
  (scripts/backlinks.py), left out of the search index like the glossary's lists;
- `<!-- references -->` becomes the outside references from sources/references.yml,
  one paragraph each, with the anchor id that footnotes link to.

A comment shaped like a marker (`<!-- word -->` or `<!-- word: arg -->`) whose word is
not a known marker, a `cited-by` id that is in neither sources/registry.yml nor
sources/references.yml, a reference without author, title or year, and a duplicate
reference id all stop the build, each reported as file:line.

Usage: python scripts/gen_sources.py [--check] [DOCS_DIR]
       (prints the filled page; --check prints only the problems)
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from backlinks import Page, pages_linking_to
from check_citations import known_ids
from check_markdown import safe_load

ROOT = Path(__file__).resolve().parent.parent
PAGE = "sources.md"
MARKERS = ("cited-by", "references")
# A whole comment made of one word, optionally ": argument": the shape of a marker.
MARKER = re.compile(r"<!--\s*([A-Za-z][\w-]*)\s*(?::\s*([^\s>]*))?\s*-->")


class SourcesPageError(ValueError):
    """The sources page or its records are wrong; the message lists file:line problems."""


def marker_problems(markdown: str, path: Path | str, ids: set[str]) -> list[str]:
    """Unknown markers, and cited-by markers that name no known source, as file:line."""
    problems = []
    for lineno, line in enumerate(markdown.splitlines(), 1):
        for match in MARKER.finditer(line):
            kind, arg = match.group(1), match.group(2)
            if kind not in MARKERS:
                problems.append(f"{path}:{lineno}: unknown marker '{match.group(0)}' "
                                f"(known: {', '.join(MARKERS)})")
            elif kind == "cited-by" and arg not in ids:
                problems.append(f"{path}:{lineno}: '{match.group(0)}' names no source: "
                                f"'{arg or ''}' is in neither sources/registry.yml nor sources/references.yml")
            elif kind == "references" and arg is not None:
                problems.append(f"{path}:{lineno}: '{match.group(0)}' takes no argument")
    return problems


def load_references(path: Path) -> list[dict]:
    """The outside references, checked for required fields and unique ids (file:line)."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    problems, seen = [], set()
    refs = safe_load(text) or []
    id_lines: dict[str, int] = {}  # the first line that says `id: <value>`, for file:line
    for n, ln in enumerate(lines, 1):
        found = re.search(r"\bid:\s*(.+?)\s*$", ln)
        if found:
            id_lines.setdefault(found.group(1), n)
    for ref in refs:
        rid = str(ref.get("id", ""))
        lineno = id_lines.get(rid, 1) if rid else 1
        missing = [k for k in ("id", "author", "title", "year") if not ref.get(k)]
        if missing:
            problems.append(f"{path}:{lineno}: reference {rid or ref} lacks {', '.join(missing)}")
        if rid and (not re.fullmatch(r"r-[a-z0-9-]+", rid) or rid in seen):
            problems.append(f"{path}:{lineno}: bad or duplicate reference id {rid!r}")
        seen.add(rid)
    if problems:
        raise SourcesPageError("\n".join(problems))
    return refs


def render_references(refs: list[dict]) -> str:
    """One paragraph per reference: author, *title*, year, address; anchored by id."""
    out = []
    for ref in sorted(refs, key=lambda r: (r["author"].lower(), str(r["year"]))):
        url = f" <{ref['url']}>" if ref.get("url") else ""
        out.append(f"{ref['author']}. *{ref['title']}*. {ref['year']}.{url}\n{{ #{ref['id']} }}\n")
    return "\n".join(out)


def fill(markdown: str, citing: dict[str, list[Page]], refs: list[dict], page: str = PAGE) -> str:
    """Replace every marker; `citing` maps a source id to the pages that cite it."""
    def replace(match: re.Match) -> str:
        kind, arg = match.group(1), match.group(2)
        if kind == "references":
            return render_references(refs)
        pages = citing.get(arg, [])
        if not pages:
            return "No chapter cites this source yet."
        items = "\n".join(f"- {p.link_from(page)}" for p in pages)
        return f'<div class="hb-cited-by" data-search-exclude markdown>\n\n{items}\n\n</div>'  # navigation, not content
    return MARKER.sub(replace, markdown)


def render(markdown: str, docs: Path, root: Path = ROOT, path: Path | str | None = None) -> str:
    """The sources page as readers see it; SourcesPageError if a marker is wrong."""
    refs = load_references(root / "sources" / "references.yml")
    problems = marker_problems(markdown, path or docs / PAGE, known_ids(root))
    if problems:
        raise SourcesPageError("\n".join(problems))
    return fill(markdown, pages_linking_to(docs, PAGE), refs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("docs", nargs="?", type=Path, default=ROOT / "docs")
    parser.add_argument("--check", action="store_true", help="print only the problems")
    args = parser.parse_args(argv)
    page = args.docs / PAGE
    try:
        filled = render(page.read_text(encoding="utf-8"), args.docs, path=page)
    except SourcesPageError as error:
        print(error)
        return 1
    if not args.check:
        sys.stdout.write(filled)
    return 0


if __name__ == "__main__":
    sys.exit(main())
