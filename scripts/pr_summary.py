"""Write the pull request's job summary: where to get the built site, and which pages changed.

GitHub shows the summary on the run's page. It links the uploaded site artifact and
lists each changed page with its address inside the built site, so a reviewer knows
what to open.

Usage: python scripts/pr_summary.py --base BASE_REF [--artifact-url URL] [--site SITE_DIR]
       (prints Markdown; the workflow appends it to $GITHUB_STEP_SUMMARY)
"""
from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from check_markdown import ROOT, split_front_matter


def changed_files(base: str, root: Path = ROOT) -> list[str]:
    """Files changed between the merge base with `base` and HEAD."""
    result = subprocess.run(["git", "diff", "--name-only", f"{base}...HEAD"], cwd=root,
                            capture_output=True, text=True, check=True)
    return [line for line in result.stdout.splitlines() if line]


def page_url(src: str) -> str:
    """The directory URL MkDocs gives a docs/ Markdown file: docs/role/index.md -> role/."""
    stem = src.removeprefix("docs/").removesuffix(".md")
    stem = stem.removesuffix("index").removesuffix("/") if stem.endswith("index") else stem
    return f"{stem}/" if stem else "./"


def title_of(path: Path) -> str:
    """The page's front-matter title, or its file name."""
    meta, _ = split_front_matter(path.read_text(encoding="utf-8"))
    return str((meta or {}).get("title") or path.stem)


def summary(files: list[str], artifact_url: str = "", root: Path = ROOT) -> str:
    """The Markdown summary for these changed files."""
    pages = [f for f in files if f.startswith("docs/") and f.endswith(".md") and (root / f).is_file()]
    others = [f for f in files if f not in pages]
    lines = ["## Preview of this pull request", ""]
    if artifact_url:
        lines += [f"Download the built site: [site.zip]({artifact_url}). Unzip it and open the "
                  "pages below (each is `<page>/index.html`).", ""]
    if pages:
        lines += [f"### Changed pages ({len(pages)})", ""]
        lines += [f"- {title_of(root / p)}: `{page_url(p)}` (from `{p}`)" for p in pages]
    else:
        lines.append("No page in `docs/` changed.")
    if others:
        lines += ["", f"Other files changed: {len(others)}."]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="the branch the pull request targets, e.g. origin/main")
    parser.add_argument("--artifact-url", default="")
    args = parser.parse_args(argv)
    sys.stdout.write(summary(changed_files(args.base), args.artifact_url))
    return 0


if __name__ == "__main__":
    sys.exit(main())
