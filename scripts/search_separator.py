"""Generate the site search's word separator from a readable stop-word list.

Material's lunr search and Zensical's search both split page text and typed queries into
words with one regular expression, `plugins.search.separator` in mkdocs.yml. Ours is
built from:
- the stop words in search-tuning/stop-words.txt, as `\\b(?:...)\\b` alternations grouped
  by first letter (`[Aa](?:bout|...)?`), so they are dropped from index and query;
- a possessive 's, runs of punctuation (a typed "?" too), a break inside camelCase, a
  plural s, a full stop that is not inside a number, and the entities &lt; and &gt;
  (the PIECES below).

The two engines rank differently, so the list can name words that only Zensical drops
(a `zensical-only:` line): Material ranks a heading higher the more typed words it
holds, so a typed "does" helps it find "What does a product manager do?"; Zensical keeps
only sections that hold every typed word, so there "does" would rule out the answer.
Material's separator is committed in mkdocs.yml (the search block, between the
generated-by comments) and tests/test_search_tuning.py fails when it no longer matches
the list; scripts/site_config.py writes Zensical's into the derived Zensical config.

Usage: python scripts/search_separator.py [--write | --check] [--config mkdocs.yml] [--words FILE]
       [--engine material|zensical]   (no option: print the separator)
"""
from __future__ import annotations

import argparse
import re
import sys
from itertools import groupby
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORDS = ROOT / "search-tuning" / "stop-words.txt"
CONFIG = ROOT / "mkdocs.yml"
# Characters that end a word (\s is whitespace; \u2019 ’, \u2013 –, \u2014 —). "?" and ";"
# too: readers type whole questions, and Material would search a typed "MVP?" as "mvp?*".
PUNCTUATION = r"""\s\-,:;!?=\[\]()"/'\u2019\u2013\u2014"""
# The separator, in order: (what it splits on, regular expression). {words} is the stop words.
PIECES = [
    ("a possessive 's or ’s", r"['\u2019]s\b"),
    ("a run of punctuation or space", f"[{PUNCTUATION}]+"),
    ("a stop word", r"\b(?:{words})\b"),
    # Two lower-case letters, so "PMs" and "OKRs" are not cut before their capital.
    ("inside camelCase, before the capital", r"(?!\b)(?=[A-Z][a-z]{2})"),
    # Material adds * to a typed word but has no stemmer: without this, "managers" misses
    # "manager", and the plural, a rarer word, outranks the singular in every title.
    # Both sides lose the s, so they still meet ("PMs" finds "PM"); not after an s ("process").
    ("a plural s after two letters that are not s", r"(?<=[A-RT-Za-rt-z]{2})s\b"),
    ("a full stop not followed by a digit", r"\.(?!\d)"),
    ("the HTML entities &lt; and &gt;", r"&[lg]t;"),
]
LINE = re.compile(r"^(\s*separator: )'(.*)'\s*$")
ENGINES = ("material", "zensical")
ZENSICAL_ONLY = "zensical-only:"  # a line of words that only Zensical drops


def read_words(path: Path = WORDS, engine: str = "material") -> list[str]:
    """The stop words of `engine`: whitespace-separated, lower case, '#' starts a comment;
    a line that starts with `zensical-only:` lists words only Zensical drops."""
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}: {', '.join(ENGINES)}")
    words, seen = [], set()
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        text = line.split("#", 1)[0].strip()
        only_zensical = text.startswith(ZENSICAL_ONLY)
        if only_zensical:
            text = text[len(ZENSICAL_ONLY):]
        for word in text.split():
            if not re.fullmatch(r"[a-z]+", word):
                raise ValueError(f"{path}:{lineno}: {word!r} is not a lower-case word")
            if word in seen:
                raise ValueError(f"{path}:{lineno}: {word!r} is listed twice")
            seen.add(word)
            if engine == "zensical" or not only_zensical:
                words.append(word)
    return words


def engine_separator(engine: str, words: Path = WORDS) -> str:
    """The separator for `engine` from the list (Material's is the one in mkdocs.yml)."""
    return separator(read_words(words, engine))


def word_alternation(words: list[str]) -> str:
    """`[Aa](?:bout|...)?|[Bb](?:...)`: longest first; `?` when the letter is a word."""
    groups = []
    for letter, group in groupby(sorted(set(words)), key=lambda w: w[0]):
        rests = sorted((w[1:] for w in group), key=lambda r: (-len(r), r))
        alone = "" in rests
        rests = [r for r in rests if r]
        body = f"(?:{'|'.join(rests)})" if rests else ""
        groups.append(f"[{letter.upper()}{letter}]{body}{'?' if alone and rests else ''}")
    return "|".join(groups)


def separator(words: list[str]) -> str:
    """The whole separator for the given stop words."""
    return "|".join(regex.replace("{words}", word_alternation(words)) for _, regex in PIECES)


def yaml_quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def configured(config: Path = CONFIG) -> tuple[int, str]:
    """(line number, separator) of the `separator:` line in the config."""
    for lineno, line in enumerate(config.read_text(encoding="utf-8").splitlines(), 1):
        match = LINE.match(line)
        if match:
            return lineno, match.group(2).replace("''", "'")
    raise ValueError(f"{config}: no `separator: '...'` line in the search plugin")


def check(config: Path = CONFIG, words: Path = WORDS) -> list[str]:
    """A file:line problem when the config's separator is not the one the list gives."""
    lineno, current = configured(config)
    wanted = separator(read_words(words))
    if current == wanted:
        return []
    return [f"{config}:{lineno}: search separator does not match {words.name}: "
            f"run `python scripts/search_separator.py --write`"]


def write(config: Path = CONFIG, words: Path = WORDS) -> bool:
    """Rewrite the config's separator line from the list; True if it changed."""
    lineno, current = configured(config)
    wanted = separator(read_words(words))
    if current == wanted:
        return False
    lines = config.read_text(encoding="utf-8").splitlines(keepends=True)
    prefix = LINE.match(lines[lineno - 1]).group(1)
    lines[lineno - 1] = f"{prefix}{yaml_quoted(wanted)}\n"
    config.write_text("".join(lines), encoding="utf-8")
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--write", action="store_true", help="rewrite the separator in the config")
    mode.add_argument("--check", action="store_true", help="exit 1 if the config is out of date")
    parser.add_argument("--config", type=Path, default=CONFIG)
    parser.add_argument("--words", type=Path, default=WORDS)
    parser.add_argument("--engine", choices=ENGINES, default="material",
                        help="print this engine's separator (mkdocs.yml holds Material's)")
    args = parser.parse_args(argv)
    try:
        if args.check:
            problems = check(args.config, args.words)
            print("\n".join(problems)) if problems else None
            return 1 if problems else 0
        if args.write:
            print(f"{args.config}: separator {'rewritten' if write(args.config, args.words) else 'already current'}")
            return 0
        print(engine_separator(args.engine, args.words))
    except ValueError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
