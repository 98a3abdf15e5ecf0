"""Check every Markdown page against the handbook's conventions; print file:line: problem.

Checks: front matter with `title` and `description`; one H1 equal to the title;
images with alt text. Chapter pages (the parts) also need a summary paragraph
under the H1 and a "Key takeaways" admonition. Unsafe HTML (scripts, event
handlers, javascript: URLs, off-site resources) is scripts/check_html.py's job: it
reads the HTML the page renders to, not the Markdown lines.

Usage: python scripts/check_markdown.py [FILES or DIRS ...]   (default: docs/)
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

from report import emit

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PARTS = ("role", "practice", "eq", "roles-compared", "getting-hired")  # the book's parts, in order
# Folders whose pages follow the chapter rules: the parts, and the reader templates.
CHAPTER_FOLDERS = (*PARTS, "templates")
FENCE = re.compile(r"^\s*(```|~~~)")
IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]+)[^)]*\)")
HTML_IMG = re.compile(r"<img\b(?![^>]*\balt=\"[^\"]+\")[^>]*>", re.I)
# libyaml's safe loader when PyYAML has it (its wheels do): same data, several times
# faster, which the build feels (the generators read every page's front matter).
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(text: str):
    """yaml.safe_load(), with libyaml when available."""
    return yaml.load(text, Loader=SAFE_LOADER)  # noqa: S506 (a safe loader)


def split_front_matter(text: str) -> tuple[dict | None, int]:
    """Parse YAML front matter; return (data or None, line number where the body starts)."""
    match = re.match(r"\A---\n(.*?\n)---\n", text, flags=re.S)
    if not match:
        return None, 1
    data = safe_load(match.group(1)) or {}
    return (data if isinstance(data, dict) else {}), match.group(0).count("\n") + 1


def is_chapter(path: Path, docs: Path | None = None) -> bool:
    """A page inside one of the parts, or a reader template: it follows the chapter rules.

    Judged from the docs folder (the repository's, or the nearest folder named docs
    above the page), never from the first "docs" anywhere in the absolute path.
    """
    path = path.resolve()
    roots = [docs or DOCS] + [parent for parent in path.parents if parent.name == "docs"]
    for root in roots:
        try:
            rel = path.relative_to(root.resolve()).parts
        except ValueError:
            continue
        return len(rel) > 1 and rel[0] in CHAPTER_FOLDERS
    return False


def check_page(path: Path, chapter: bool | None = None) -> list[str]:
    """Problems in one page, each as 'file:line: message'."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    meta, body_start = split_front_matter(text)
    problems: list[str] = []

    def report(lineno: int, message: str) -> None:
        problems.append(f"{path}:{lineno}: {message}")

    if meta is None:
        report(1, "no YAML front matter (--- title: ... description: ... ---)")
        meta = {}
    for key in ("title", "description"):
        if not str(meta.get(key) or "").strip():
            report(1, f"front matter has no '{key}'")

    in_fence = False
    h1s: list[tuple[int, str]] = []
    for lineno, line in enumerate(lines, 1):
        if lineno < body_start:
            continue
        if FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        if line.startswith("# "):
            h1s.append((lineno, line[2:].strip()))
        for alt, src in IMAGE.findall(line):
            if not alt.strip():
                report(lineno, f"image '{src}' has no alt text")
        if HTML_IMG.search(line):
            report(lineno, "HTML <img> without alt text")

    title = str(meta.get("title") or "").strip()
    if len(h1s) > 1:
        report(h1s[1][0], "more than one H1 heading")
    if chapter is None:
        chapter = is_chapter(path)
    if h1s and title and h1s[0][1] != title:
        report(h1s[0][0], f"H1 '{h1s[0][1]}' differs from front-matter title '{title}'")
    if chapter:
        problems += check_chapter_shape(path, lines, h1s)
    return problems


def check_chapter_shape(path: Path, lines: list[str], h1s: list[tuple[int, str]]) -> list[str]:
    """A chapter page has an H1, a summary paragraph right under it, and key takeaways."""
    if not h1s:
        return [f"{path}:1: chapter page has no H1 heading"]
    problems = []
    h1_line = h1s[0][0]
    following = [(n, ln) for n, ln in enumerate(lines, 1) if n > h1_line and ln.strip()]
    if not following or re.match(r"\s*([#>|!?=*+-]|\d+\.|<|```)", following[0][1]):
        where = following[0][0] if following else h1_line
        problems.append(f"{path}:{where}: chapter page needs a one-paragraph summary right under the H1")
    if not any(re.match(r'!!!\s+\w+\s+"Key takeaways"', ln) for ln in lines):
        problems.append(f'{path}:{len(lines)}: chapter page has no \'!!! success "Key takeaways"\' admonition')
    return problems


def markdown_files(paths: list[str]) -> list[Path]:
    """The files named, or every Markdown file under docs/."""
    files: list[Path] = []
    for p in map(Path, paths or [str(ROOT / "docs")]):
        files.extend(sorted(p.rglob("*.md")) if p.is_dir() else [p])
    return files


def main(argv: list[str] | None = None) -> int:
    problems = [p for f in markdown_files(argv if argv is not None else sys.argv[1:])
                for p in check_page(f)]
    return emit(problems, "Page conventions")


if __name__ == "__main__":
    sys.exit(main())
