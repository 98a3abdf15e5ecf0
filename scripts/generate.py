"""Render the generated parts of the handbook's pages, for any engine.

Five generators fill pages from the repository's records (never the source files):
- scripts/gen_glossary.py: the glossary's A-Z bar and "Discussed in" lists;
- scripts/gen_sources.py: the sources page's "Cited by" lists and reference list;
- scripts/gen_downloads.py: download buttons for the files that were really built;
- scripts/gen_citations.py: on every page, a footnote's "S3" becomes "S3 · short name";
- scripts/gen_chapter_meta.py: under a chapter's title, "Part 3 · Chapter 2 · 6 min read";
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

import gen_chapter_meta
import gen_citations
import gen_dates
import gen_downloads
import gen_glossary
import gen_sources
import site_config

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
_labels: dict[Path, tuple[float, dict[str, str]]] = {}
_chapters: dict[Path, tuple[float, dict[str, tuple[int, int]]]] = {}


def source_labels(root: Path = ROOT) -> dict[str, str]:
    """The sources' short names, read again whenever the registry changes (mkdocs serve)."""
    registry = root / "sources" / "registry.yml"
    if not registry.exists():  # a test's docs tree without records
        return {}
    mtime = registry.stat().st_mtime
    if registry not in _labels or _labels[registry][0] != mtime:
        _labels[registry] = (mtime, gen_citations.load_labels(registry))
    return _labels[registry][1]


def chapter_table(root: Path = ROOT) -> dict[str, tuple[int, int]]:
    """Page -> (part, chapter) from mkdocs.yml's nav, read again when the file changes."""
    config = root / "mkdocs.yml"
    if not config.exists():
        return {}
    mtime = config.stat().st_mtime
    if config not in _chapters or _chapters[config][0] != mtime:
        _chapters[config] = (mtime, gen_chapter_meta.chapters(site_config.load(config).get("nav")))
    return _chapters[config][1]


def render_page(src_uri: str, markdown: str, docs: Path = DOCS, *, root: Path = ROOT,
                downloads: list[gen_downloads.Download] | None = None) -> str:
    """The page `src_uri` (a path under docs/) with its generated parts filled in."""
    if src_uri == gen_glossary.PAGE:
        markdown = gen_glossary.render(markdown, docs)
    elif src_uri == gen_sources.PAGE:
        markdown = gen_sources.render(markdown, docs, root, path=docs / src_uri)
    markdown = gen_chapter_meta.render(markdown, src_uri, chapter_table(root))
    if gen_citations.SOURCE_LINK.search(markdown) or "][^" in markdown:
        markdown = gen_citations.render(markdown, source_labels(root), docs / src_uri)
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
          download_dir: Path = gen_downloads.DOWNLOAD_DIR, names: list[str] | None = None,
          date_format: str | None = None) -> Path:
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
        filled = with_meta(filled, gen_dates.meta_for(src_uri, dates, built, date_format))
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
    except (gen_sources.SourcesPageError, gen_citations.CitationError) as error:
        print(error)
        return 1
    print(f"staged {sum(1 for _ in out.rglob('*.md'))} pages into {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
