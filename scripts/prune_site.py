"""Remove from a built site the files no reader ever requests: source maps and unused search languages.

Runs after the build, on any engine's output (hooks/prune_after_build.py for MkDocs,
scripts/site_build.py for Zensical), and so also shrinks the offline zip.

- Source maps (`*.map`, 1.3 MB with Material 9.8): only a browser's developer tools
  fetch them. The `sourceMappingURL` comment that points at a removed map is removed
  from its script or style sheet too, so no file names a missing file.
- Material's lunr language support (`assets/javascripts/lunr/`, 0.9 MB): the search
  worker imports a language's stemmer only for the languages in the search index's
  `config.lang`, the stemmer support and multi-language files only when it imports
  any, and the Japanese, Hindi and Thai segmenters only for those languages (Material's
  worker, integrations/search/worker/main). Every file that rule does not need for
  this site's languages is removed; with English alone that is all of them.

Usage: python scripts/prune_site.py SITE_DIR
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

LUNR = Path("assets/javascripts/lunr")
SEGMENTERS = {"ja": "tinyseg.js", "hi": "wordcut.js", "th": "wordcut.js"}
# `//# sourceMappingURL=x.map` (scripts) or `/*# sourceMappingURL=x.map */` (style sheets).
MAP_COMMENT = re.compile(r"\n?(?://[#@] ?sourceMappingURL=([^\s*]+)|/\*[#@] ?sourceMappingURL=([^\s*]+) ?\*/)\s*\Z")


def search_languages(site: Path) -> list[str] | None:
    """The languages of Material's search index (`config.lang`), or None without one."""
    index = site / "search" / "search_index.json"
    if not index.is_file():
        return None
    return list(json.loads(index.read_text(encoding="utf-8")).get("config", {}).get("lang") or ["en"])


def lunr_files_needed(languages: list[str]) -> set[str]:
    """The files under assets/javascripts/lunr/ the search worker imports for `languages`."""
    needed = set()
    for lang in languages:
        if lang in SEGMENTERS:
            needed.add(SEGMENTERS[lang])
        if lang != "en":
            needed.add(f"min/lunr.{lang}.min.js")
    if len(languages) > 1:
        needed.add("min/lunr.multi.min.js")
    if needed:
        needed.add("min/lunr.stemmer.support.min.js")
    return needed


def remove_source_maps(site: Path) -> dict[Path, int]:
    """Delete every *.map file and the comment that points at it; return {file: bytes}."""
    maps = {p: p.stat().st_size for p in sorted(site.rglob("*.map"))}
    for path in maps:
        source = path.with_suffix("")  # bundle.js.map -> bundle.js
        if source.is_file() and source.suffix in (".js", ".css"):
            text = source.read_text(encoding="utf-8")
            match = MAP_COMMENT.search(text)
            if match and (match.group(1) or match.group(2)).split("/")[-1] == path.name:
                source.write_text(text[:match.start()] + "\n", encoding="utf-8")
        path.unlink()
    return maps


def remove_unused_lunr(site: Path) -> dict[Path, int]:
    """Delete the lunr files the search index's languages do not need; return {file: bytes}."""
    folder = site / LUNR
    languages = search_languages(site)
    if not folder.is_dir() or languages is None:
        return {}
    needed = lunr_files_needed(languages)
    removed = {p: p.stat().st_size for p in sorted(folder.rglob("*"))
               if p.is_file() and p.relative_to(folder).as_posix() not in needed}
    for path in removed:
        path.unlink()
    for path in sorted(folder.rglob("*"), reverse=True) + [folder]:
        if path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return removed


def prune(site: Path) -> tuple[dict[Path, int], dict[Path, int]]:
    """Prune a built site; return the removed ({source map: bytes}, {lunr file: bytes})."""
    if not site.is_dir():
        raise ValueError(f"{site}: not a built site")
    return remove_source_maps(site), remove_unused_lunr(site)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    args = parser.parse_args(argv)
    try:
        maps, lunr = prune(args.site)
    except (OSError, ValueError) as error:
        print(f"{args.site}: {error}", file=sys.stderr)
        return 1
    print(f"pruned {len(maps)} source map(s) ({sum(maps.values()) / 1e6:.2f} MB) and {len(lunr)} "
          f"unused search-language file(s) ({sum(lunr.values()) / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
