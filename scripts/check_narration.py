"""Fail on source narration in chapter prose; print file:line:column: problem.

A chapter teaches its idea directly and leaves attribution to the footnote. This
check finds, in the prose of every chapter page (footnote definitions, front
matter, code and HTML comments excluded):

- phrases that narrate the sources instead of teaching: "one source says",
  "another source", "the same source", "that source", "two sources agree",
  "one interviewee adds", "a careers guide", "the same interviews", ...;
- bare source ids (S1 to S9) anywhere in body text, including link text such as
  [S3](../sources.md#s3) outside a footnote.

Judging a source (spun, glued together, wrong) belongs on the sources page, in
that source's section. The style guide has the rule with a before/after example.

Usage: python scripts/check_narration.py [FILES or DIRS ...]   (default: every chapter page)
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

from check_markdown import CHAPTER_FOLDERS, FENCE, ROOT, split_front_matter
from report import emit

# Words that introduce a source as the subject of the sentence.
DETERMINER = (r"one|another|a|an|the|the same|that|this|these|those|two|three|four|five|both|each|"
              r"other|several|some|all|every|most|which|whose|its|either|neither|no|the other|the two")
# What the handbook must not narrate: the sources, and the people in them as "interviewees".
NOUN = (r"sources?|interviewees?|interviewed (?:pms?|product managers?)|"
        r"careers?[- ](?:guides?|pages?|sites?|articles?)|(?:web|scraped|spun) pages?")
# "a source of revenue" and "the source code" are plain English, not narration.
PHRASE = re.compile(rf"\b(?:(?:{DETERMINER})\s+(?:{NOUN})|the same interviews)\b(?!\s+(?:of|code)\b)", re.I)
# "according to S3", "S1 credits", "[S3](../sources.md#s3)" in running text: any bare id.
SOURCE_ID = re.compile(r"\bS[1-9]\b")
FOOTNOTE_DEF = re.compile(r"^\[\^[^\]]+\]:")
COMMENT = re.compile(r"<!--.*?-->", re.S)
HINT = "state the idea and put the attribution in the footnote (style guide: Teach, don't narrate the sources)"


def chapter_pages(docs: Path = ROOT / "docs") -> list[Path]:
    """Every chapter page (the parts and the reader templates), found from the docs root."""
    return [p for folder in CHAPTER_FOLDERS for p in sorted((docs / folder).rglob("*.md"))]


def prose_lines(text: str):
    """(line number, line) for every line of body prose: no front matter, code, footnotes or comments."""
    _, body_start = split_front_matter(text)
    # Blank out comments but keep the line count.
    text = COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
    in_fence = in_note = False
    for lineno, line in enumerate(text.splitlines(), 1):
        if lineno < body_start:
            continue
        if FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        if FOOTNOTE_DEF.match(line):
            in_note = True
            continue
        if in_note:
            if line.startswith("    ") or not line.strip():  # a footnote's continuation or the gap after it
                continue
            in_note = False
        yield lineno, line


def check_page(path: Path) -> list[str]:
    """Narration problems in one page, each as 'file:line:column: message'."""
    problems = []
    for lineno, line in prose_lines(path.read_text(encoding="utf-8")):
        for match in PHRASE.finditer(line):
            problems.append(f"{path}:{lineno}:{match.start() + 1}: source narration "
                            f"'{match.group(0)}': {HINT}")
        for match in SOURCE_ID.finditer(line):
            problems.append(f"{path}:{lineno}:{match.start() + 1}: source id '{match.group(0)}' in body text: "
                            f"{HINT}")
    return problems


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    files: list[Path] = []
    for arg in map(Path, args):
        files.extend(sorted(arg.rglob("*.md")) if arg.is_dir() else [arg])
    problems = [p for f in (files or chapter_pages()) for p in check_page(f)]
    return emit(problems, "Source narration")


if __name__ == "__main__":
    sys.exit(main())
