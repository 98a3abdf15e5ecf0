"""MkDocs hook: publish the PDF and offline zip from build/download/ as site/download/.

`make pdf`, `make epub` and `make offline` write the real files to build/download/ before the
site is built. When they have not been built (a quick local build, a test), a
small text placeholder is published instead, so that links stay valid and the
strict build passes; the placeholder says how to build the real file.
"""
from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.structure.files import File, Files

DOWNLOADS = ("handbook.pdf", "handbook.epub", "handbook-offline.zip")
log = logging.getLogger("mkdocs.hooks.downloads")


def on_files(files: Files, config) -> Files:
    """Add each download to the site, real file or placeholder."""
    built = Path(config.config_file_path).parent / "build" / "download"
    for name in DOWNLOADS:
        src_uri = f"download/{name}"
        if files.get_file_from_path(src_uri):
            raise ValueError(f"docs/{src_uri} must not be committed: it is built into build/download/")
        real = built / name
        if real.is_file():
            files.append(File.generated(config, src_uri, abs_src_path=str(real)))
        else:
            log.info("%s not built (run `make pdf` / `make epub` / `make offline`); publishing a placeholder", name)
            files.append(File.generated(
                config, src_uri,
                content=f"Placeholder: {name} was not built for this preview. "
                        "Run `make pdf`, `make epub` and `make offline`.\n"))
    return files
