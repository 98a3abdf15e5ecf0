"""How every check prints its problems: `file:line: message` lines, plus workflow
annotations on GitHub Actions.

A problem is a line `path:line: message` or `path:line:column: message`. Printed as
is everywhere. When GITHUB_ACTIONS=true, each is also printed as a workflow command
(`::error file=docs/role/index.md,line=12,col=3::message`), so GitHub shows it on
the changed line of the pull request's diff. Paths become relative to the
repository root, as GitHub expects.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROBLEM = re.compile(r"^(?P<file>[^:\n]+?):(?P<line>\d+)(?::(?P<col>\d+))?: (?P<message>.+)$")


def _escape(value: str, *, prop: bool = False) -> str:
    """Escape a value for a workflow command (GitHub's own escaping rules)."""
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return value.replace(":", "%3A").replace(",", "%2C") if prop else value


def relative(path: str, root: Path = ROOT) -> str:
    """`path` relative to the repository root when it lies inside it."""
    try:
        return Path(path).resolve().relative_to(root).as_posix()
    except ValueError:
        return path


def annotation(problem: str, title: str | None = None) -> str | None:
    """The `::error ...::` workflow command for one problem line, or None if it names no file."""
    match = PROBLEM.match(problem)
    if not match:
        return None
    props = [f"file={_escape(relative(match['file']), prop=True)}", f"line={match['line']}"]
    if match["col"]:
        props.append(f"col={match['col']}")
    if title:
        props.append(f"title={_escape(title, prop=True)}")
    return f"::error {','.join(props)}::{_escape(match['message'])}"


def emit(problems: Iterable[str], title: str | None = None) -> int:
    """Print each problem (and its annotation on GitHub Actions); return 1 if there were any."""
    problems = list(problems)
    on_actions = os.environ.get("GITHUB_ACTIONS") == "true"
    for problem in problems:
        print(problem)
        if on_actions:
            note = annotation(problem, title)
            if note:
                print(note)
    return 1 if problems else 0
