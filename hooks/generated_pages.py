"""MkDocs hook: a thin wrapper around scripts/generate.py, the engine-independent generators.

- on_files publishes the downloads that were really built (build/download/, listed in
  `extra.downloads`) as site/download/; nothing is published for a file not built.
- on_page_markdown fills the generated parts of a page (glossary, sources page,
  download buttons, the sources' short names in footnotes) by calling
  scripts/generate.py's render_page(), so `mkdocs serve` regenerates them on every
  reload. A wrong sources-page marker or footnote source stops the build with file:line.
- on_files reads every page's "Last updated" date from one `git log`
  (scripts/gen_dates.py); on_page_markdown puts it in page.meta, where the theme's
  partials/source-file.html shows it (git_revision_date_localized, as the plugin did).
Zensical runs no hooks: it builds from the docs tree that scripts/generate.py stages.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parent.parent  # the repository, wherever a derived config lives
sys.path.insert(0, str(ROOT / "scripts"))
import gen_citations  # noqa: E402
import gen_dates  # noqa: E402
import gen_downloads  # noqa: E402
import gen_sources  # noqa: E402
import generate  # noqa: E402

_state: dict = {"downloads": [], "dates": {}, "built": 0.0}


def _download_dir(config) -> Path:
    return ROOT / config.extra.get("download_dir", "build/download")  # an absolute path wins


def on_files(files: Files, config) -> Files:
    """Publish each download that exists as a real file; remember them for the buttons."""
    try:
        found = gen_downloads.available(_download_dir(config), config.extra.get("downloads"))
    except ValueError as error:
        raise PluginError(str(error)) from error
    for d in found:
        if files.get_file_from_path(d.url):
            raise PluginError(f"docs/{d.url} must not be committed: it is built into build/download/")
        files.append(File.generated(config, d.url, abs_src_path=str(_download_dir(config) / d.name)))
    _state["downloads"] = found
    _state["dates"] = gen_dates.last_updated(Path(config.docs_dir))
    _state["built"] = time.time()
    return files


def on_page_markdown(markdown: str, page, config, files) -> str:
    """Fill the page's generated parts (most pages have none and come back unchanged)."""
    page.meta.update(gen_dates.meta_for(page.file.src_uri, _state["dates"], _state["built"],
                                        config.extra.get("date_format")))
    try:
        return generate.render_page(page.file.src_uri, markdown, Path(config.docs_dir),
                                    root=ROOT,
                                    downloads=_state["downloads"])
    except gen_sources.SourcesPageError as error:
        raise PluginError(f"sources page:\n{error}") from error
    except gen_citations.CitationError as error:
        raise PluginError(f"footnotes:\n{error}") from error
