"""The search separator in mkdocs.yml is generated from search-tuning/stop-words.txt.

Fixtures: tests/fixtures/bad-search-tuning/ (a stale hand-written separator, a broken list,
a word listed twice across the shared and the Zensical-only lines)."""
from __future__ import annotations

import re

import pytest
import search_separator

from helpers import FIXTURES, run

BAD = FIXTURES / "bad-search-tuning"


def words_of(separator: str, text: str) -> list[str]:
    """What the separator leaves of `text` (Python reads this regex as JavaScript does)."""
    return [w for w in re.split(separator, text) if w]


def test_separator_in_mkdocs_yml_is_generated_from_the_word_list():
    assert search_separator.check() == []
    assert run("python", "scripts/search_separator.py", "--check").returncode == 0


def test_check_fails_on_a_stale_separator_with_file_and_line():
    problems = search_separator.check(BAD / "mkdocs.yml")
    assert problems == [f"{BAD / 'mkdocs.yml'}:5: search separator does not match stop-words.txt: "
                        "run `python scripts/search_separator.py --write`"]
    result = run("python", "scripts/search_separator.py", "--check", "--config", str(BAD / "mkdocs.yml"))
    assert result.returncode == 1 and "mkdocs.yml:5:" in result.stdout


def test_write_regenerates_the_line_and_nothing_else(tmp_path):
    stale = tmp_path / "mkdocs.yml"
    stale.write_text((BAD / "mkdocs.yml").read_text(encoding="utf-8"), encoding="utf-8")
    assert search_separator.write(stale) is True
    assert search_separator.check(stale) == []
    before, after = (BAD / "mkdocs.yml").read_text().splitlines(), stale.read_text().splitlines()
    assert [i for i, (a, b) in enumerate(zip(before, after, strict=False)) if a != b] == [4]
    assert search_separator.write(stale) is False


def test_every_listed_word_is_dropped_and_other_words_are_kept():
    separator = search_separator.configured()[1]
    listed = search_separator.read_words()
    assert len(listed) > 100
    for word in listed:
        for typed in (word, word.capitalize()):
            assert words_of(separator, f"pm {typed} roadmap") == ["pm", "roadmap"], typed
    for kept in ("doing", "donut", "doe", "manager", "iteration", "theme", "product", "HiPPO", "process", "PM"):
        assert kept in words_of(separator, f"a {kept} b"), kept  # "doe": Material keeps "does"
    assert words_of(separator, "the team's roadmap\u2014its v2.0 release") == ["team", "roadmap", "v2.0", "release"]
    assert words_of(separator, "camelCase") == ["camel", "Case"]


def test_question_marks_and_plurals_split_the_same_way_in_pages_and_queries():
    """A typed "MVP?" is "MVP" (Material would search "mvp?*" and find nothing), and a
    plural loses its s on both sides, so "managers" and "PMs" meet "manager" and "PM"."""
    separator = search_separator.configured()[1]
    assert words_of(separator, "What is an MVP?") == ["MVP"]
    assert words_of(separator, "How do product managers prioritize?") == ["product", "manager", "prioritize"]
    assert words_of(separator, "PMs set OKRs; KPIs") == ["PM", "set", "OKR", "KPI"]
    assert words_of(separator, "business process analysis") == ["business", "process", "analysis"]


def test_zensical_only_words_are_stop_words_for_zensical_alone(tmp_path):
    material = search_separator.engine_separator("material")
    zensical = search_separator.engine_separator("zensical")
    assert material == search_separator.configured()[1]
    assert words_of(material, "What does a product manager do?") == ["doe", "product", "manager"]
    assert words_of(zensical, "What does a product manager do?") == ["product", "manager"]
    assert "does" in search_separator.read_words(engine="zensical")
    assert "does" not in search_separator.read_words(engine="material")
    listed = tmp_path / "stop-words.txt"
    listed.write_text("a an\nzensical-only: does\n", encoding="utf-8")
    assert search_separator.read_words(listed) == ["a", "an"]
    assert search_separator.read_words(listed, "zensical") == ["a", "an", "does"]


def test_word_list_errors_name_the_file_and_line():
    with pytest.raises(ValueError, match=re.escape(f"{BAD / 'stop-words.txt'}:3: 'Because' is not a lower-case word")):
        search_separator.read_words(BAD / "stop-words.txt")
    with pytest.raises(ValueError, match=re.escape(f"{BAD / 'stop-words-twice.txt'}:4: 'does' is listed twice")):
        search_separator.read_words(BAD / "stop-words-twice.txt", "zensical")
