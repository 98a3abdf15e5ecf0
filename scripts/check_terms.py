"""Check abbreviations and the glossary; print file:line: problem.

- every abbreviation in includes/abbreviations.md is defined once;
- every abbreviation used in a docs page (a word of two or more capitals, like
  PM, PMs, HiPPO) has a definition, unless it is listed in ALLOWED;
- every glossary entry (### Term { #id }) is linked from at least one other page;
- every link to glossary.md#id points to an entry that exists.

Usage: python scripts/check_terms.py [DOCS_DIR [ABBREVIATIONS_FILE]]
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

from check_markdown import FENCE
from report import emit

ROOT = Path(__file__).resolve().parent.parent
DEFINITION = re.compile(r"^\*\[([^\]]+)\]:\s*(.*)$")
# Capitalised words that are not abbreviations a reader needs explained.
ALLOWED = {"I", "A", "OK", "US", "UK", "CEO", "CTO", "CFO", "COO", "IQ", "TV", "AI", "PDF", "HTML",
           "CSS", "SVG", "URL", "FAQ", "ID", "II", "III", "IV", "VI", "HP", "LLC", "USD", "TL", "DR",
           "YAML", "CC", "BY", "MIT", "README", "HR", "IT", "LinkedIn", "GitHub", "PowerPoint", "SaaS",
           "YouTube", "JavaScript", "iPhone", "iOS", "McKee", "McElroy", "McDowell", "McClure", "McKinsey",
           "PhD", "AXELOS", "DM", "HTTP", "HTTPS", "UTC", "OR", "AND", "NOT", "TODO", "SMS", "API", "QA", "SQL"}
ABBR = re.compile(r"\b([A-Z][a-z]?[A-Z][A-Za-z]*?)(?:s|'s)?\b")


def definitions(path: Path) -> tuple[dict[str, str], list[str]]:
    """Abbreviations defined in the snippet file, and duplicate-definition problems."""
    found: dict[str, str] = {}
    problems = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        match = DEFINITION.match(line)
        if not match:
            continue
        abbr, meaning = match.groups()
        if abbr in found:
            problems.append(f"{path}:{lineno}: abbreviation '{abbr}' is defined twice")
        elif not meaning.strip():
            problems.append(f"{path}:{lineno}: abbreviation '{abbr}' has an empty definition")
        found[abbr] = meaning
    return found, problems


def prose_lines(text: str):
    """(line number, line) outside front matter, code fences, link targets and inline code."""
    in_fence = False
    front = text.startswith("---\n")
    for lineno, line in enumerate(text.splitlines(), 1):
        if front:
            front = not (lineno > 1 and line == "---")
            continue
        if FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence or line.startswith(("*[", "--8<--")):
            continue
        line = re.sub(r"`[^`]*`", "", line)
        line = re.sub(r"\]\([^)]*\)|\{[^}]*\}|<[^>]*>|https?://\S+", " ", line)
        yield lineno, line


def undefined_abbreviations(docs: Path, defined: dict[str, str]) -> list[str]:
    """Uses of abbreviations that have no hover definition."""
    problems = []
    for md in sorted(docs.rglob("*.md")):
        for lineno, line in prose_lines(md.read_text(encoding="utf-8")):
            for abbr in ABBR.findall(line):
                if abbr not in defined and abbr not in ALLOWED:
                    problems.append(f"{md}:{lineno}: abbreviation '{abbr}' is not defined in "
                                    "includes/abbreviations.md (add it, or spell it out)")
    return problems


def glossary_problems(docs: Path) -> list[str]:
    """Glossary entries nobody links to, and links to entries that do not exist."""
    glossary = docs / "glossary.md"
    entries = {}
    for lineno, line in enumerate(glossary.read_text(encoding="utf-8").splitlines(), 1):
        match = re.match(r"^### .+\{\s*#([\w-]+)\s*\}\s*$", line)
        if match:
            entries[match.group(1)] = lineno
    used: set[str] = set()
    problems = []
    for md in sorted(docs.rglob("*.md")):
        if md == glossary:
            continue
        for lineno, line in enumerate(md.read_text(encoding="utf-8").splitlines(), 1):
            for term in re.findall(r"glossary\.md#([\w-]+)", line):
                used.add(term)
                if term not in entries:
                    problems.append(f"{md}:{lineno}: link to glossary entry '#{term}', which does not exist")
    problems += [f"{glossary}:{lineno}: glossary entry '#{term}' is not linked from any page"
                 for term, lineno in entries.items() if term not in used]
    return problems


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    docs = Path(args[0]) if args else ROOT / "docs"
    abbr_file = Path(args[1]) if len(args) > 1 else ROOT / "includes" / "abbreviations.md"
    defined, problems = definitions(abbr_file)
    problems += undefined_abbreviations(docs, defined) + glossary_problems(docs)
    return emit(problems, "Terms and glossary")


if __name__ == "__main__":
    sys.exit(main())
