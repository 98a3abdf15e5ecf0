"""Build the offline site as one zip (build/download/handbook-offline.zip).

Builds the site from the derived offline config (scripts/site_config.py: Material's
offline plugin, so no directory URLs, the search index inlined and the vendored
iframe-worker shim; and no "Download offline site" button, since the zip does not
offer itself) into a temporary folder, and zips it under one top folder,
`handbook/`. A reader unpacks it and opens handbook/index.html from file://, with no
network. A PDF or EPUB already in build/download/ is included with its button.

From file://, the iframe-worker shim runs search in an iframe whose inline script
holds the reader's own absolute path, so no build-time hash (hooks/csp.py) can
allow it: the offline copy's Content-Security-Policy allows inline scripts instead.

Usage: python scripts/build_offline.py [--out build/download/handbook-offline.zip] [--config mkdocs.yml]
"""
from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from site_build import build_site

ROOT = Path(__file__).resolve().parent.parent
TOP = "handbook"
SCRIPT_SRC = re.compile(r'(<meta http-equiv="Content-Security-Policy" content="[^"]*?script-src )[^;"]*')


def allow_inline_scripts(site: Path) -> None:
    """Swap the script hashes of every page's CSP for 'unsafe-inline' (see the module docstring)."""
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        new = SCRIPT_SRC.sub(r"\1'self' 'unsafe-inline'", text, count=1)
        if new != text:
            page.write_text(new, encoding="utf-8")


def write_zip(site: Path, out: Path) -> int:
    """Zip the site under TOP/, in a stable order; return the number of files."""
    # 404.html is only served by a web server, and uses absolute URLs: not shipped.
    files = sorted(p for p in site.rglob("*") if p.is_file() and p != site / "404.html")
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_suffix(".zip.part")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for path in files:
            zf.write(path, f"{TOP}/{path.relative_to(site).as_posix()}")
    partial.replace(out)
    return len(files)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "download" / "handbook-offline.zip")
    parser.add_argument("--config", type=Path, default=ROOT / "mkdocs.yml")
    args = parser.parse_args()
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        build_site(args.config, site, offline=True)
        allow_inline_scripts(site)
        count = write_zip(site, args.out)
    size = args.out.stat().st_size / 1e6
    print(f"{args.out}: {count} files, {size:.1f} MB in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
