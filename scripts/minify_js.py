"""Minify the handbook's own scripts in a built site, for any engine.

The files of docs/assets/javascripts/ are written to be read: long comments explain
each step. Readers only need the code, so after the build each of them is replaced in
the site by its rjsmin output (licence comments, `/*! ... */`, are kept). For
reading.js, which every first view loads, that is 1.4 KiB compressed instead of 2.4.
The sources in docs/ stay as they are; `mkdocs serve` serves the minified files too.

MkDocs runs it from hooks/page_assets.py (on_post_build); scripts/site_build.py runs
it after the Zensical build.

Usage: python scripts/minify_js.py SITE_DIR
"""
from __future__ import annotations

import sys
from pathlib import Path

import rjsmin

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "docs" / "assets" / "javascripts"


def minify(text: str) -> str:
    return rjsmin.jsmin(text, keep_bang_comments=True)


def minify_site(site: Path, sources: Path = SOURCES) -> list[str]:
    """Minify, in `site`, every script of `sources` that the build copied; return their paths."""
    done = []
    for source in sorted(sources.glob("*.js")):
        target = site / "assets" / "javascripts" / source.name
        if target.is_file():
            target.write_text(minify(source.read_text(encoding="utf-8")), encoding="utf-8")
            done.append(target.relative_to(site).as_posix())
    return done


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    for path in minify_site(Path(args[0])):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
