"""Check the SVG diagrams: accessible, static and self-contained; print file: problem.

Each SVG needs role="img", a <title> and a <desc>, and must not contain scripts,
styles, event handlers, <foreignObject>, embedded images, or references to anything
outside the file (parsed as XML by scripts/check_html.py, so an attribute split over
lines is still seen).

It also needs width and height attributes equal to its viewBox size, so the page and
the lightbox know how large it is drawn (handbook.css shows it at that size, shrunk only
to fit the column), and every text at least 15 px (MIN_FONT_SIZE), so that shrunk to a
390 px phone it is still 11 px or more (tests/test_reading.py measures it).

Usage: python scripts/check_diagrams.py [SVG files or dirs]   (default: docs/assets/diagrams)
"""
from __future__ import annotations

import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from check_html import svg_problems
from report import emit

ROOT = Path(__file__).resolve().parent.parent
NS = "{http://www.w3.org/2000/svg}"
MIN_FONT_SIZE = 15.0
NUMBER = re.compile(r"^\s*([0-9.]+)\s*(px)?\s*$")


def _number(value: str | None) -> float | None:
    match = NUMBER.match(value or "")
    return float(match.group(1)) if match else None


def size(root: ET.Element) -> tuple[float, float] | None:
    """The drawing's (width, height) from its viewBox."""
    box = (root.get("viewBox") or "").replace(",", " ").split()
    return (float(box[2]), float(box[3])) if len(box) == 4 else None


def font_sizes(root: ET.Element) -> list[tuple[str, float | None]]:
    """(text, font size in px) of every <text>, the size inherited from its ancestors
    (presentation attribute or style="font-size: ..."); None when it cannot be read."""
    found = []

    def walk(el: ET.Element, inherited: float | None) -> None:
        own = el.get("font-size")
        style = re.search(r"font-size\s*:\s*([^;]+)", el.get("style") or "")
        value = style.group(1) if style else own
        current = _number(value) if value is not None else inherited
        if el.tag == f"{NS}text":
            found.append(("".join(el.itertext()).strip(), current))
        for child in el:
            walk(child, current)

    walk(root, 16.0)  # the CSS initial font size
    return found


def min_font_size(path: Path) -> float:
    """The smallest text size of a drawing, in its own px (viewBox units)."""
    sizes = [s for _, s in font_sizes(ET.fromstring(path.read_text(encoding="utf-8"))) if s is not None]
    return min(sizes) if sizes else MIN_FONT_SIZE


def check_svg(path: Path) -> list[str]:
    """Problems in one SVG file."""
    text = path.read_text(encoding="utf-8")
    try:
        root = ET.fromstring(text)
    except ET.ParseError as err:
        return [f"{path}:{err.position[0]}: not well-formed XML: {err}"]
    problems = []
    if root.get("role") != "img":
        problems.append(f'{path}:1: <svg> needs role="img"')
    for tag in ("title", "desc"):
        el = root.find(f"{NS}{tag}")
        if el is None or not (el.text or "").strip():
            problems.append(f"{path}:1: <svg> needs a non-empty <{tag}> as a direct child")
    problems += [f"{path}:{line}: {message}" for line, message in svg_problems(text)]
    box = size(root)
    width, height = _number(root.get("width")), _number(root.get("height"))
    if box is None:
        problems.append(f'{path}:1: <svg> needs a viewBox="0 0 width height"')
    elif (width, height) != box:
        problems.append(f'{path}:1: <svg> needs width="{box[0]:g}" height="{box[1]:g}" (its viewBox size), '
                        "so pages and the lightbox draw it at its size")
    lines = text.splitlines()
    for label, font in font_sizes(root):
        if font is None or font < MIN_FONT_SIZE:
            line = next((n for n, ln in enumerate(lines, 1) if label and label in ln), 1)
            shown = "an unreadable size" if font is None else f"{font:g} px"
            problems.append(f"{path}:{line}: text {label!r} is {shown}; diagrams use at least "
                            f"{MIN_FONT_SIZE:g} px, so they stay readable on a phone")
    return problems


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    files: list[Path] = []
    for p in map(Path, args or [str(ROOT / "docs" / "assets" / "diagrams")]):
        files.extend(sorted(p.glob("*.svg")) if p.is_dir() else [p])
    problems = [p for f in files for p in check_svg(f)]
    return emit(problems, "Diagrams")


if __name__ == "__main__":
    sys.exit(main())
