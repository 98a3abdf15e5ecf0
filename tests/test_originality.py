"""No docs page shares an eight-word run with a source; the guard reports file, line and words."""
from __future__ import annotations

import pytest

import originality
from helpers import raw_sources, run


def test_docs_share_no_eight_word_run_with_the_committed_fingerprints():
    result = run("python", "scripts/originality.py")
    assert result.returncode == 0, result.stdout


def test_repository_markdown_outside_docs_is_original_too():
    result = run("python", "scripts/originality.py", "README.md", "CONTRIBUTING.md", "templates")
    assert result.returncode == 0, result.stdout


def test_normalisation_ignores_case_punctuation_and_curly_quotes():
    words = originality.words("It\u2019s the PM\u2019s \u201cjob\u201d, really!")
    assert words == ["its", "the", "pms", "job", "really"]


def test_guard_reports_file_line_and_copied_words(tmp_path):
    source = "Our synthetic source says that product teams ship small changes every single week to learn fast."
    known = originality.fingerprints(source)
    page = tmp_path / "copied.md"
    page.write_text("# Title\n\nA fine opening line.\n"
                    "We read that product teams ship small changes every single week to learn.\n")
    found = originality.copied_runs(page.read_text(), known)
    assert found == [(4, "that product teams ship small changes every single week to learn")]
    assert originality.copied_runs("Product teams ship small changes every week.", known) == []


@pytest.mark.raw_sources
def test_a_page_copying_one_real_source_sentence_fails_make_test(tmp_path):
    raw = sorted(raw_sources().glob("001_*.txt"))[0].read_text(encoding="utf-8")
    sentence = next(s.strip() + "." for s in raw.split(".") if len(s.split()) > 12)
    page = tmp_path / "docs" / "copied.md"
    page.parent.mkdir()
    page.write_text(f"---\ntitle: Copied\n---\n\n# Copied\n\n{sentence}\n", encoding="utf-8")
    result = run("python", "scripts/originality.py", str(page))
    assert result.returncode == 1
    assert f"{page}:7: copied from a source:" in result.stdout
    assert originality.words(sentence)[0] in result.stdout
