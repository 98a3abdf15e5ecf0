"""Render the generated parts of the handbook's pages, for any engine.

Three generators fill pages from the repository's records (never the source files):
- scripts/gen_glossary.py: the glossary's A-Z bar and "Discussed in" lists;
- scripts/gen_sources.py: the sources page's "Cited by" lists and reference list;
- scripts/gen_downloads.py: download buttons for the files that were really built;
and scripts/gen_dates.py gives each page its "Last updated" date (page metadata).

render_page() is the one entry point. MkDocs calls it from hooks/generated_pages.py
for every page as it builds (so `mkdocs serve` stays live). Engines that run no hooks
(Zensical) build from a staged copy of docs/ that stage() writes into a build folder,
with the generated pages filled and the downloads copied in. Nothing generated is
committed: the lists change whenever any page adds a link, and the downloads exist
only after `make pdf` / `make offline`.

Usage: python scripts/generate.py OUT_DIR   (stage docs/ into OUT_DIR, filled)
"""
from __future__ import annotations

import json
import posixpath
import shutil
import sys
import time
from pathlib import Path

import gen_dates
import gen_downloads
import gen_glossary
import gen_sources

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def render_page(src_uri: str, markdown: str, docs: Path = DOCS, *, root: Path = ROOT,
                downloads: list[gen_downloads.Download] | None = None) -> str:
    """The page `src_uri` (a path under docs/) with its generated parts filled in."""
    if src_uri == gen_glossary.PAGE:
        markdown = gen_glossary.render(markdown, docs)
    elif src_uri == gen_sources.PAGE:
        markdown = gen_sources.render(markdown, docs, root, path=docs / src_uri)
    if gen_downloads.MARKER.search(markdown):
        depth = posixpath.dirname(src_uri).count("/") + 1 if posixpath.dirname(src_uri) else 0
        markdown = gen_downloads.fill(markdown, downloads or [], "../" * depth)
    return markdown


def with_meta(markdown: str, meta: dict[str, str]) -> str:
    """`markdown` with `meta` added to its YAML front matter (one is added if it has none)."""
    lines = "".join(f"{key}: {json.dumps(value)}\n" for key, value in meta.items())  # JSON is YAML
    if markdown.startswith("---\n"):
        return "---\n" + lines + markdown[4:]
    return "---\n" + lines + "---\n" + markdown


def stage(out: Path, docs: Path = DOCS, *, root: Path = ROOT,
          download_dir: Path = gen_downloads.DOWNLOAD_DIR, names: list[str] | None = None) -> Path:
    """Copy `docs` to `out` (replacing it), fill every generated page, add each page's
    "Last updated" date to its front matter, copy the downloads."""
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(docs, out)
    downloads = gen_downloads.available(download_dir, names)
    dates, built = gen_dates.last_updated(docs), time.time()
    for md in sorted(out.rglob("*.md")):
        src_uri = md.relative_to(out).as_posix()
        text = md.read_text(encoding="utf-8")
        filled = render_page(src_uri, text, docs, root=root, downloads=downloads)
        filled = with_meta(filled, gen_dates.meta_for(src_uri, dates, built))
        if filled != text:
            md.write_text(filled, encoding="utf-8")
    for d in downloads:
        target = out / d.url
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(download_dir / d.name, target)
    return out


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    if len(args) != 1:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    try:
        out = stage(Path(args[0]))
    except gen_sources.SourcesPageError as error:
        print(error)
        return 1
    print(f"staged {sum(1 for _ in out.rglob('*.md'))} pages into {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
