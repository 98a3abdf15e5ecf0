"""Check the SVG diagrams: accessible, static and self-contained; print file: problem.

Each SVG needs role="img", a <title> and a <desc>, and must not contain scripts,
styles, event handlers, <foreignObject>, embedded images, or references to anything
outside the file (parsed as XML by scripts/check_html.py, so an attribute split over
lines is still seen).

Usage: python scripts/check_diagrams.py [SVG files or dirs]   (default: docs/assets/diagrams)
"""
from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from check_html import svg_problems
from report import emit

ROOT = Path(__file__).resolve().parent.parent
NS = "{http://www.w3.org/2000/svg}"


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
