"""Check that every copied theme partial in overrides/ still matches the theme it came from.

A partial copied from a theme says so in its first comment, one line per theme:

    copied-from: mkdocs-material 9.8.1 partials/search.html sha256:bfd556535abcddb9

(the distribution, its version when copied, the file inside the theme's templates/
folder, and the start of the original file's SHA-256). When the installed theme's file
no longer has that hash, the theme changed the partial after we copied it: our copy
would silently drop the theme's fix or feature. Re-copy the file from the new version,
re-apply our change (the comment says what it was) and update the line.

A theme that is not installed is skipped (Zensical is only installed by `make zensical`,
whose run of this check covers it). Files under partials/ must carry the line.

Usage: python scripts/check_overrides.py [OVERRIDES_DIR]
"""
from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COPIED = re.compile(r"copied-from:\s+(\S+)\s+(\S+)\s+(\S+)\s+sha256:([0-9a-f]{8,64})")
# Distribution -> the Python package whose templates/ folder holds the theme.
THEMES = {"mkdocs-material": "material", "zensical": "zensical"}


def theme_file(dist: str, path: str) -> tuple[str, Path] | None:
    """(installed version, file) of a theme's template, or None if the theme is absent."""
    package = THEMES.get(dist)
    spec = importlib.util.find_spec(package) if package else None
    if spec is None or not spec.origin:
        return None
    return importlib.metadata.version(dist), Path(spec.origin).parent / "templates" / path


def check_file(path: Path, skipped: set[str] | None = None) -> list[str]:
    """Drift problems of one override, as 'file:line: message'."""
    problems = []
    lines = path.read_text(encoding="utf-8").splitlines()
    found = False
    for lineno, line in enumerate(lines, 1):
        match = COPIED.search(line)
        if not match:
            continue
        found = True
        dist, version, theme_path, digest = match.groups()
        if dist not in THEMES:
            problems.append(f"{path}:{lineno}: unknown theme {dist!r} (known: {', '.join(THEMES)})")
            continue
        installed = theme_file(dist, theme_path)
        if installed is None:
            if skipped is not None:
                skipped.add(dist)
            continue
        now, original = installed
        if not original.is_file():
            problems.append(f"{path}:{lineno}: {dist} {now} has no {theme_path} any more: "
                            "remove the override or move it to the new partial")
            continue
        actual = hashlib.sha256(original.read_bytes()).hexdigest()
        if not actual.startswith(digest):
            problems.append(f"{path}:{lineno}: {theme_path} of {dist} changed since it was copied from "
                            f"{version} (installed {now}, sha256:{actual[:16]}): re-copy it, re-apply "
                            "our change and update this line")
    if not found and "partials" in path.parts:
        problems.append(f"{path}:1: a copied partial needs a 'copied-from: <theme> <version> <file> "
                        "sha256:<hash>' line in its first comment")
    return problems


def check(overrides: Path = ROOT / "overrides", skipped: set[str] | None = None) -> list[str]:
    """Drift problems of every override."""
    return [p for f in sorted(overrides.rglob("*.html")) for p in check_file(f, skipped)]


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    skipped: set[str] = set()
    problems = check(Path(args[0]) if args else ROOT / "overrides", skipped)
    print("\n".join(problems)) if problems else None
    for dist in sorted(skipped):
        print(f"{dist} is not installed: its copies were not checked", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
