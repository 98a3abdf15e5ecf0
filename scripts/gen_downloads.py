"""Download metadata and buttons: show a download only when its real file exists.

`make pdf`, `make epub` (when present) and `make offline` write the files to
build/download/. This generator reads what is there and describes each file
("PDF · 0.5 MB · 113 pages"); the marker `<!-- downloads -->` in a page becomes one
button per existing file. A file that was not built gets no button and is not
published: a link never serves a placeholder.

Which files a build offers is configuration: `extra.downloads` in mkdocs.yml lists
them (the offline copy's derived config leaves out the offline zip itself).

Engine-independent: hooks/generated_pages.py publishes the files and calls fill()
for MkDocs; scripts/generate.py copies them and writes the filled page for Zensical.

Usage: python scripts/gen_downloads.py [DOWNLOAD_DIR]   (prints the metadata as JSON)
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import sys
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOWNLOAD_DIR = ROOT / "build" / "download"
URL_DIR = "download"  # where the files are published in the site
MARKER = re.compile(r"^[ \t]*<!--\s*downloads\s*-->[ \t]*$", re.M)
# File name -> (what the button says before the details, format). Order is the order of
# the buttons: "Download PDF · 0.5 MB · 113 pages", "Download offline site · ZIP · 1.6 MB".
KINDS = {
    "handbook.pdf": ("Download", "PDF"),
    "handbook.epub": ("Download", "EPUB"),
    "handbook-offline.zip": ("Download offline site ·", "ZIP"),
}
DEFAULT = list(KINDS)


@dataclass(frozen=True)
class Download:
    """One built download and what its button says."""
    name: str
    label: str
    format: str
    bytes: int
    pages: int | None = None

    @property
    def url(self) -> str:
        return f"{URL_DIR}/{self.name}"

    @property
    def details(self) -> str:
        """'PDF · 0.5 MB · 113 pages'; EPUB and ZIP have no pages."""
        parts = [self.format, f"{max(self.bytes / 1e6, 0.1):.1f} MB"]
        if self.pages:
            parts.append(f"{self.pages} page{'' if self.pages == 1 else 's'}")
        return " · ".join(parts)


PAGES_CACHE = ROOT / "build" / "cache" / "pdf-pages.json"  # {sha256 of a PDF: its page count}


def pdf_pages(path: Path) -> int | None:
    """Page count of a PDF, or None if it cannot be read as one.

    Counting costs 1.4 s of CPU for the handbook's PDF (pypdf must unpack its object
    streams first), and every `mkdocs build` and `mkdocs serve` reload asks (twice: is
    the file real, then its details): the count is kept in build/cache/pdf-pages.json
    under the file's SHA-256, so it is read once per version of the file, in any
    process; within a process, the file is read and hashed once per version too."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return _pdf_pages(str(path.resolve()), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=8)
def _pdf_pages(path: str, mtime_ns: int, size: int) -> int | None:  # the version is the cache key
    try:
        digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return None
    try:
        cache = json.loads(PAGES_CACHE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        cache = {}
    if isinstance(cache.get(digest), int):
        return cache[digest]
    pages = count_pdf_pages(Path(path))
    if pages is not None:
        cache = {k: v for k, v in list(cache.items())[-7:]}  # a few versions, newest last
        cache[digest] = pages
        try:
            PAGES_CACHE.parent.mkdir(parents=True, exist_ok=True)
            partial = PAGES_CACHE.with_suffix(f".{os.getpid()}.part")
            partial.write_text(json.dumps(cache), encoding="utf-8")
            partial.replace(PAGES_CACHE)
        except OSError:  # a read-only checkout: count again next time
            pass
    return pages


def count_pdf_pages(path: Path) -> int | None:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError
    try:
        return len(PdfReader(path).pages)
    except (PdfReadError, OSError, ValueError):
        return None


def is_real(path: Path, fmt: str) -> bool:
    """True when the file is what its name says (no text placeholder named .pdf)."""
    head = path.read_bytes()[:4]
    if fmt == "PDF":
        return head == b"%PDF" and pdf_pages(path) is not None
    if head != b"PK\x03\x04" or not zipfile.is_zipfile(path):
        return False
    if fmt == "EPUB":  # an EPUB is a zip whose "mimetype" entry says so
        with zipfile.ZipFile(path) as epub:
            return "mimetype" in epub.namelist() and epub.read("mimetype").strip() == b"application/epub+zip"
    return fmt == "ZIP"


def available(download_dir: Path = DOWNLOAD_DIR, names: list[str] | None = None) -> list[Download]:
    """The downloads among `names` (default: all kinds) that exist as real files."""
    found = []
    for name in names if names is not None else DEFAULT:
        if name not in KINDS:
            raise ValueError(f"extra.downloads: unknown download {name!r} (known: {', '.join(KINDS)})")
        path = download_dir / name
        label, fmt = KINDS[name]
        if path.is_file() and is_real(path, fmt):
            found.append(Download(name, label, fmt, path.stat().st_size,
                                  pdf_pages(path) if fmt == "PDF" else None))
    return found


def buttons(downloads: list[Download], prefix: str = "") -> str:
    """One Material button per download; the first is the primary one. Empty if none."""
    if not downloads:
        return ""
    rows = []
    for i, d in enumerate(downloads):
        style = ".md-button .md-button--primary" if i == 0 else ".md-button"
        rows.append(f"[{d.label} <span class=\"hb-download__details\">{d.details}</span>]"
                    f"({prefix}{d.url}){{ {style} }}")
    return '<div class="hb-downloads" markdown>\n' + "\n".join(rows) + "\n</div>"


def fill(markdown: str, downloads: list[Download], prefix: str = "") -> str:
    """Replace the `<!-- downloads -->` marker with the buttons (or nothing)."""
    return MARKER.sub(lambda _: buttons(downloads, prefix), markdown)


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    folder = Path(args[0]) if args else DOWNLOAD_DIR
    found = available(folder)
    print(json.dumps([{**asdict(d), "details": d.details} for d in found], indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
