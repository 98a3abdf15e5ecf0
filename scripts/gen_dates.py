"""Each page's "Last updated" date, from one `git log` over docs/, for any engine.

The date is the author date of the last commit that changed the page's file, as
mkdocs-git-revision-date-localized-plugin (`type: date`, UTC, English) computed it with
one `git log` per page. One pass over the history gives every page at once: about 30 ms
for the whole site instead of a fifth of the build, and the same at any number of pages.
Renames need no `--follow`: the commit that renamed a file changed it at its new path.

The result keeps the plugin's contract for templates (Material's and Zensical's
partials/source-file.html, and any override of it), in page.meta:
- git_revision_date_localized: `<span class="git-revision-date-localized-plugin
  git-revision-date-localized-plugin-date" title="November 30, 2026 10:16:34 UTC">November
  30, 2026</span>`, the markup the theme shows under "Last update";
- git_revision_date_localized_raw_date ("November 30, 2026") and
  git_revision_date_localized_raw_iso_date ("2026-11-30"), the same without markup;
- git_revision_date_localized_raw_custom ("30 November 2026"), in the site's one date
  format, extra.date_format in mkdocs.yml, as the plugin's `type: custom` wrote it. The
  handbook's overrides/partials/source-file.html shows this one, in a <time>.
A page that git does not know (new, or a copy outside the repository) gets the build's
date, as the plugin's fallback_to_build_date did.

MkDocs sets them from hooks/generated_pages.py; scripts/generate.py writes them into the
front matter of the staged pages that Zensical builds.

Usage: python scripts/gen_dates.py   (prints every page's date)
"""
from __future__ import annotations

import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from babel.dates import format_date

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
KEY = "git_revision_date_localized"
LOCALE = "en"


def _git(cwd: Path, *args: str) -> str | None:
    try:
        result = subprocess.run(["git", "-c", "core.quotePath=false", *args], cwd=cwd,
                                capture_output=True, text=True, check=False)
    except OSError:  # no git
        return None
    return result.stdout if result.returncode == 0 else None


def last_updated(docs: Path = DOCS) -> dict[str, int]:
    """{path under docs/ (posix): author timestamp of the last commit that changed it}."""
    docs = docs.resolve()
    top = _git(docs, "rev-parse", "--show-toplevel")
    if not top:
        return {}
    top_path = Path(top.strip()).resolve()
    try:
        prefix = docs.relative_to(top_path).as_posix()
    except ValueError:
        return {}
    prefix = "" if prefix == "." else prefix + "/"
    log = _git(top_path, "log", "--format=%x00%at", "--name-only", "--", prefix or ".")
    if log is None:
        return {}
    dates: dict[str, int] = {}
    stamp = 0
    for line in log.splitlines():
        if line.startswith("\0"):
            stamp = int(line[1:])
        elif line and line.startswith(prefix):
            dates.setdefault(line[len(prefix):], stamp)  # newest first: keep the first seen
    return {path: stamp for path, stamp in dates.items() if (docs / path).is_file()}  # not deleted ones


def page_meta(timestamp: int | float, date_format: str | None = None) -> dict[str, str]:
    """The page.meta entries for a page last changed at `timestamp` (seconds, UTC);
    `date_format` (strftime, extra.date_format) gives the custom one, if any."""
    when = datetime.fromtimestamp(int(timestamp), tz=UTC)
    date = format_date(when, format="long", locale=LOCALE)
    title = f"{date} {when.strftime('%H:%M:%S')} UTC"
    meta = {
        KEY: f'<span class="git-revision-date-localized-plugin git-revision-date-localized-plugin-date" '
             f'title="{title}">{date}</span>',
        f"{KEY}_raw_date": date,
        f"{KEY}_raw_iso_date": when.strftime("%Y-%m-%d"),
    }
    if date_format:
        meta[f"{KEY}_raw_custom"] = when.strftime(date_format)
    return meta


def meta_for(src_uri: str, dates: dict[str, int], build_time: float | None = None,
             date_format: str | None = None) -> dict[str, str]:
    """page.meta entries for the page `src_uri`, the build's date if git does not know it."""
    return page_meta(dates.get(src_uri, build_time if build_time is not None else time.time()), date_format)


def main() -> int:
    dates = last_updated()
    for path in sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md")):
        print(f"{path}: {meta_for(path, dates)[KEY + '_raw_iso_date']}"
              + ("" if path in dates else " (not in git: the build's date)"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
