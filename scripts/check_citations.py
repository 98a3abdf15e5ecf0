"""Check citations and fact ledgers; print file:line: problem.

- every chapter page (the four parts) cites at least one source in a footnote;
- every footnote definition starts with a link to the sources page;
- every cited id (sources.md#s1, sources.md#r-slug) exists in sources/registry.yml
  or sources/references.yml;
- every fact in sources/ledger/*.yml names known source ids and an existing page.

Usage: python scripts/check_citations.py [DOCS_DIR]
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

from check_markdown import is_chapter, safe_load
from report import emit

ROOT = Path(__file__).resolve().parent.parent
CITE = re.compile(r"sources\.md#([\w-]+)")
FOOTNOTE = re.compile(r"^\[\^[^\]]+\]:\s*(.*)$")


def known_ids(root: Path = ROOT) -> set[str]:
    """Source ids (s1…) from the registry and reference ids (r-…) from references.yml."""
    registry = safe_load((root / "sources" / "registry.yml").read_text(encoding="utf-8"))
    refs = safe_load((root / "sources" / "references.yml").read_text(encoding="utf-8")) or []
    return {s["id"].lower() for s in registry["sources"]} | {r["id"] for r in refs}


def check_page(md: Path, ids: set[str], chapter: bool) -> list[str]:
    """Citation problems in one page."""
    problems = []
    cited = 0
    for lineno, line in enumerate(md.read_text(encoding="utf-8").splitlines(), 1):
        for ref in CITE.findall(line):
            if ref not in ids:
                problems.append(f"{md}:{lineno}: cites '{ref}', which is not in sources/registry.yml "
                                "or sources/references.yml")
        note = FOOTNOTE.match(line)
        if note:
            if not re.match(r"\[[^\]]+\]\((\.\./)*sources\.md#[\w-]+\)", note.group(1)):
                problems.append(f"{md}:{lineno}: footnote must start with a link to the sources page, "
                                "e.g. [S3](../sources.md#s3)")
            cited += bool(CITE.search(line))
    if chapter and not cited:
        problems.append(f"{md}:1: chapter page cites no source (add a footnote such as "
                        "[^1]: [S3](../sources.md#s3))")
    return problems


def check_ledgers(ledger_dir: Path, docs: Path, ids: set[str]) -> list[str]:
    """Every ledger fact names known ids and an existing page."""
    problems = []
    for path in sorted(ledger_dir.glob("*.yml")):
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text) or {}
        lines = text.splitlines()
        for fact in data.get("facts") or []:
            first = str(fact.get("fact", ""))[:40]
            lineno = next((i for i, ln in enumerate(lines, 1) if first and first[:30] in ln), 1)
            for sid in fact.get("sources") or []:
                if str(sid).lower() not in ids:
                    problems.append(f"{path}:{lineno}: fact cites unknown source '{sid}'")
            if not fact.get("sources"):
                problems.append(f"{path}:{lineno}: fact has no sources")
            if not (docs / str(fact.get("page", ""))).is_file():
                problems.append(f"{path}:{lineno}: fact points to missing page '{fact.get('page')}'")
    return problems


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    docs = Path(args[0]) if args else ROOT / "docs"
    ids = known_ids()
    problems = []
    for md in sorted(docs.rglob("*.md")):
        problems += check_page(md, ids, chapter=is_chapter(md, docs))
    if not args:
        problems += check_ledgers(ROOT / "sources" / "ledger", docs, ids)
    return emit(problems, "Citations")


if __name__ == "__main__":
    sys.exit(main())
