"""Footnotes a reader can follow: name each original source, separate adjacent markers.

1. "S3" becomes "S3 · North Western Education Service".

Writers cite one of the five original sources as `[^1]: [S3](../sources.md#s3): what it
supports.` "S3" means nothing until the reader opens the Sources page, so on every page
the link text of such a footnote becomes the id and the source's short name, the `label`
in sources/registry.yml (written from sources/metadata.yml by scripts/ingest_sources.py).
Material's footnote tooltip shows the footnote, so it shows the name too. Outside
references (`#r-...`) already read "Author, *Title*, year" and are left alone, and so are
code blocks and any line that is not a footnote definition.

2. Two markers in a row, `[^9][^3]`, render as "⁹³", which reads as note 93: a
   superscript comma goes between them (`<sup class="hb-note-sep">,</sup>`), outside code.

render() is called for every page by scripts/generate.py. A footnote that names a source
the registry does not know stops the build with file:line (scripts/check_citations.py
reports it too, before any build).

Usage: python scripts/gen_citations.py PAGE.md   (prints the page with the names filled in)
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

from check_markdown import safe_load

ROOT = Path(__file__).resolve().parent.parent
REGISTRY = ROOT / "sources" / "registry.yml"
SEPARATOR = " \u00b7 "  # a middle dot between the id and the name: "S3 · name"
# A footnote definition: `[^id]: ` at the start of a line.
DEFINITION = re.compile(r"^\[\^[^\]\s]+\]:\s")
# A link to one of the original sources whose text is its bare id: [S3](../sources.md#s3).
SOURCE_LINK = re.compile(r"\[(S\d+)\]\(((?:[^()\s]*/)?sources\.md#(s\d+))\)")
FENCE = re.compile(r"^\s*(```|~~~)")
# A footnote marker directly followed by another one.
ADJACENT = re.compile(r"(\[\^[^\]\s]+\])(?=\[\^[^\]\s]+\](?!:))")
NOTE_SEPARATOR = '<sup class="hb-note-sep">,</sup>'


class CitationError(ValueError):
    """A footnote names a source that the registry does not know; the message says where."""


def load_labels(registry: Path = REGISTRY) -> dict[str, str]:
    """Source id ("S3") -> short name, from the registry; an entry without a label is an error."""
    sources = (safe_load(registry.read_text(encoding="utf-8")) or {}).get("sources") or []
    labels, missing = {}, []
    for source in sources:
        label = str(source.get("label") or "").strip()
        if not label or label == "unknown":
            missing.append(str(source.get("id")))
        labels[str(source.get("id"))] = label
    if missing:
        raise CitationError(f"{registry}: no label for {', '.join(missing)} "
                            "(add `label:` to sources/metadata.yml, then run scripts/ingest_sources.py)")
    return labels


def _named(match: re.Match, labels: dict[str, str], problems: list[str], where: str) -> str:
    """`[S3](...)` as `[S3 · name](...)`; an unknown source is noted and left as it is."""
    sid, target, anchor = match.groups()
    if sid not in labels or anchor != sid.lower():
        problems.append(f"{where}: footnote cites {sid} as '{target}', which is not a source in sources/registry.yml")
        return match.group(0)
    return f"[{sid}{SEPARATOR}{labels[sid]}]({target})"


def render(markdown: str, labels: dict[str, str], path: Path | str = "page") -> str:
    """The page with each footnote's source named and adjacent markers separated
    (no `labels`, as in a test's docs tree without records: markers only)."""
    out, problems, fenced = [], [], None
    for lineno, line in enumerate(markdown.splitlines(keepends=True), 1):
        fence = FENCE.match(line)
        if fence:
            fenced = None if fenced == fence.group(1) else fenced or fence.group(1)
        elif fenced is None and labels and DEFINITION.match(line):
            line = SOURCE_LINK.sub(lambda m, n=lineno: _named(m, labels, problems, f"{path}:{n}"), line)
        elif fenced is None and "][^" in line:
            # Outside inline code only: the odd pieces between backticks are code.
            pieces = line.split("`")
            line = "`".join(ADJACENT.sub(r"\1" + NOTE_SEPARATOR, piece) if n % 2 == 0 else piece
                            for n, piece in enumerate(pieces))
        out.append(line)
    if problems:
        raise CitationError("\n".join(problems))
    return "".join(out)


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    if len(args) != 1:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    path = Path(args[0])
    try:
        sys.stdout.write(render(path.read_text(encoding="utf-8"), load_labels(), path))
    except CitationError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
