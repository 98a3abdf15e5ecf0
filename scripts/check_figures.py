"""Check that every diagram is a numbered figure, numbered in reading order; print file:line: problem.

A diagram (an image from assets/diagrams/) must be followed, on the next non-blank
line, by a caption block with its number (pymdownx.blocks.caption):

    ![What the diagram shows](../assets/diagrams/practice-dual-track.svg)

    /// figure-caption | 2.1
    Discovery and delivery run side by side.
    ///

Figures are numbered P.N: P is the number of the part in the nav ("Part 2: The
practice"), N counts the part's figures 1, 2, 3 ... in nav order, page by page. So a
figure added to an earlier page renumbers the ones after it, and the check says which.
A diagram on a page outside the parts has no number to take, and is reported too.
Fenced code blocks (examples in the style guide) are skipped.

Usage: python scripts/check_figures.py [mkdocs.yml]   (default: the repository's)
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

from site_config import load

from report import emit

ROOT = Path(__file__).resolve().parent.parent
FENCE = re.compile(r"^\s*(```|~~~)")
DIAGRAM = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]*assets/diagrams/[^)\s>]+\.svg)")
CAPTION = re.compile(r"^\s*///\s*figure-caption\b\s*(?:\|\s*(?P<number>\S+))?")
PART_TITLE = re.compile(r"^\s*Part\s+(\d+)\b", re.I)


def nav_pages(nav: list) -> list[tuple[str, int | None]]:
    """Every page of the nav in order, as (docs-relative path, part number or None)."""
    pages: list[tuple[str, int | None]] = []

    def walk(items, part):
        for item in items or []:
            if isinstance(item, str):
                pages.append((item, part))
            elif isinstance(item, dict):
                for title, value in item.items():
                    if isinstance(value, str):
                        pages.append((value, part))
                    else:
                        match = PART_TITLE.match(str(title))
                        walk(value, part if part is not None else (int(match.group(1)) if match else None))

    walk(nav, None)
    return [(p, part) for p, part in pages if not re.match(r"^[a-z]+://", p)]


def figures(path: Path) -> list[tuple[int, str, int | None, str | None]]:
    """(line of the image, image, line of its caption or None, caption number or None) per diagram,
    and (line, "", line, number) for a caption block that follows no diagram."""
    lines = path.read_text(encoding="utf-8").splitlines()
    found = []
    in_fence = False
    diagram: tuple[int, str] | None = None
    for lineno, line in enumerate(lines, 1):
        if FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence or not line.strip():
            continue
        caption = CAPTION.match(line)
        if caption:
            number = caption.group("number")
            if diagram:
                found.append((diagram[0], diagram[1], lineno, number))
                diagram = None
            else:
                found.append((lineno, "", lineno, number))
            continue
        if diagram:  # the diagram's next non-blank line is not a caption
            found.append((diagram[0], diagram[1], None, None))
            diagram = None
        image = DIAGRAM.search(line)
        if image:
            diagram = (lineno, image.group(1).rsplit("/", 1)[-1])
    if diagram:
        found.append((diagram[0], diagram[1], None, None))
    return found


def check(config_path: Path) -> list[str]:
    config = load(config_path)
    docs = config_path.parent / config.get("docs_dir", "docs")
    problems: list[str] = []
    counters: dict[int, int] = {}
    seen = set()
    pages = nav_pages(config.get("nav") or [])
    in_nav = {p for p, _ in pages}
    others = sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md")
                    if p.relative_to(docs).as_posix() not in in_nav)
    for rel, part in [*pages, *((p, None) for p in others)]:
        path = docs / rel
        if rel in seen or not path.is_file():
            continue
        seen.add(rel)
        for image_line, image, caption_line, number in figures(path):
            where = f"{path}:{image_line}"
            if image and caption_line is None:
                problems.append(f"{where}: diagram {image} has no caption block right after it "
                                "(/// figure-caption | P.N, then the caption, then ///)")
                continue
            if number is None:
                problems.append(f"{path}:{caption_line}: figure caption without a number "
                                "(/// figure-caption | P.N)")
                continue
            if part is None:
                problems.append(f"{where}: figure {number} is on a page outside the parts: "
                                "figures are numbered by part (P.N)")
                continue
            expected = f"{part}.{counters.get(part, 0) + 1}"
            counters[part] = counters.get(part, 0) + 1
            if number != expected:
                problems.append(f"{path}:{caption_line}: figure {number} should be {expected}: "
                                f"the figures of Part {part} are numbered {part}.1, {part}.2, ... in nav order")
    return problems


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    config = Path(args[0]) if args else ROOT / "mkdocs.yml"
    return emit(check(config.resolve()), "Figures")


if __name__ == "__main__":
    sys.exit(main())
