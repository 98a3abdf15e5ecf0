"""Each of the four parts meets the content bar: size, diagrams, tables and links."""
from __future__ import annotations

import re

import pytest

import check_diagrams
import readability
from helpers import FIXTURES, ROOT

DOCS = ROOT / "docs"
PARTS = {"role": "role-", "practice": "practice-", "eq": "eq-", "roles-compared": "roles-",
         "getting-hired": "hired-"}
# Each page is one idea a reader finishes in 10-15 minutes: at most 2,500 visible words
# (about 12 minutes at 200 words a minute). A part is 3 to 10 such pages and at most
# 11,000 words (under an hour), so it can be read in one or two sittings.
PAGE_WORDS = 2500
PART_PAGES = (3, 10)
PART_WORDS = (3000, 11000)


def words(path) -> int:
    """Words a reader sees: tables included; front matter, footnotes and link targets excluded."""
    return readability.visible_words(path.read_text(encoding="utf-8"))


def test_the_parts_are_the_books_parts():
    import check_markdown
    assert tuple(PARTS) == check_markdown.PARTS


@pytest.mark.parametrize("part", PARTS)
def test_part_is_readable_in_one_or_two_sittings(part):
    pages = sorted((DOCS / part).glob("*.md"))
    assert PART_PAGES[0] <= len(pages) <= PART_PAGES[1], [p.name for p in pages]
    too_long = {p.name: words(p) for p in pages if words(p) > PAGE_WORDS}
    assert not too_long, f"pages over {PAGE_WORDS} words (split them): {too_long}"
    total = sum(words(p) for p in pages)
    assert PART_WORDS[0] <= total <= PART_WORDS[1], f"{part}: {total} words"


def test_word_count_includes_tables_but_not_footnotes_or_link_targets():
    page = "---\ntitle: T\n---\n\nOne two [three](x.md#four).\n\n| a | b |\n|---|---|\n| c | d |\n\n[^1]: five six\n"
    assert readability.visible_words(page) == 7


@pytest.mark.parametrize("part,prefix", PARTS.items())
def test_part_embeds_an_original_diagram(part, prefix):
    text = "\n".join(p.read_text(encoding="utf-8") for p in (DOCS / part).glob("*.md"))
    embedded = re.findall(r"!\[[^\]]+\]\(\.\./assets/diagrams/([\w-]+\.svg)\)", text)
    assert any(name.startswith(prefix) for name in embedded), embedded


@pytest.mark.parametrize("part", PARTS)
def test_part_compares_in_a_table_and_links_glossary_and_other_parts(part):
    pages = sorted((DOCS / part).glob("*.md"))
    text = "\n".join(p.read_text(encoding="utf-8") for p in pages)
    assert re.search(r"^\|.+\|\n\|[-:| ]+\|$", text, flags=re.M), "no Markdown table"
    for page in pages:
        assert "../glossary.md#" in page.read_text(encoding="utf-8"), f"{page.name} links no glossary term"
    others = [p for p in PARTS if p != part]
    assert any(f"../{o}/" in text for o in others), "no link to another part"


def test_every_diagram_is_accessible_static_and_used():
    diagrams = sorted((DOCS / "assets" / "diagrams").glob("*.svg"))
    problems = [p for d in diagrams for p in check_diagrams.check_svg(d)]
    assert not problems, "\n".join(problems)
    pages = "\n".join(p.read_text(encoding="utf-8") for p in DOCS.rglob("*.md"))
    unused = [d.name for d in diagrams if d.name not in pages]
    assert not unused, f"diagrams no page shows: {unused}"


def test_diagram_check_fails_on_a_scripted_inaccessible_svg():
    problems = "\n".join(check_diagrams.check_svg(FIXTURES / "bad-diagrams" / "bad.svg"))
    for expected in ('bad.svg:1: <svg> needs role="img"', "needs a non-empty <title>", "needs a non-empty <desc>",
                     "bad.svg:2: <script> element is not allowed", "bad.svg:3: <image> element is not allowed",
                     "bad.svg:3: href= points outside the file", "bad.svg:4: event-handler attribute onclick=",
                     'bad.svg:1: <svg> needs width="100" height="50"', "bad.svg:5: text 'Too small' is 10 px"):
        assert expected in problems, expected
