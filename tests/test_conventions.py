"""Markdown pages follow the handbook's conventions, and each check fails on a bad fixture."""
from __future__ import annotations

import pytest

import check_citations
import check_html
import check_markdown
import check_narration
import check_terms
import readability
from helpers import FIXTURES, ROOT, run

DOCS = ROOT / "docs"
BAD = FIXTURES / "bad-docs"
LINT_TARGETS = ["docs", "CONTRIBUTING.md", "README.md", "templates"]


def test_docs_follow_page_conventions():
    problems = [p for f in check_markdown.markdown_files([str(DOCS)]) for p in check_markdown.check_page(f)]
    assert not problems, "\n".join(problems)


def test_page_conventions_catch_every_problem_with_file_and_line():
    page = BAD / "role" / "bad-page.md"
    problems = "\n".join(check_markdown.check_page(page, chapter=True))
    for expected in (f"{page}:1: front matter has no 'description'",
                     f"{page}:5: H1 'A different heading' differs from front-matter title",
                     f"{page}:7: chapter page needs a one-paragraph summary",
                     f"{page}:9: image '../assets/diagrams/missing-alt.svg' has no alt text",
                     "has no '!!! success \"Key takeaways\"'"):
        assert expected in problems, expected


def test_chapter_pages_cite_known_sources_and_ledgers_are_sound():
    result = run("python", "scripts/check_citations.py")
    assert result.returncode == 0, result.stdout


def test_citation_check_catches_unknown_ids_and_uncited_pages():
    ids = check_citations.known_ids()
    bad = BAD / "role" / "bad-page.md"
    problems = "\n".join(check_citations.check_page(bad, ids, chapter=True))
    assert f"{bad}:19: cites 'r-no-such-reference'" in problems
    assert f"{bad}:20: footnote must start with a link to the sources page" in problems
    uncited = BAD / "role" / "no-citation.md"
    assert check_citations.check_page(uncited, ids, chapter=True) == [
        f"{uncited}:1: chapter page cites no source (add a footnote such as [^1]: [S3](../sources.md#s3))"]


def test_abbreviations_and_glossary_are_complete():
    result = run("python", "scripts/check_terms.py")
    assert result.returncode == 0, result.stdout


def test_terms_check_catches_duplicates_undefined_and_orphans():
    defined, problems = check_terms.definitions(BAD / "abbreviations-duplicated.md")
    assert any(":2: abbreviation 'PM' is defined twice" in p for p in problems)
    assert any(":3: abbreviation 'XYZ' has an empty definition" in p for p in problems)
    undefined = "\n".join(check_terms.undefined_abbreviations(BAD, defined))
    assert "bad-page.md:17: abbreviation 'ZQXW' is not defined" in undefined
    glossary = "\n".join(check_terms.glossary_problems(BAD))
    assert "bad-page.md:17: link to glossary entry '#no-such-term', which does not exist" in glossary
    assert "glossary.md:16: glossary entry '#orphan-term' is not linked from any page" in glossary


def test_every_chapter_page_reads_easily():
    result = run("python", "scripts/readability.py")
    assert result.returncode == 0, result.stdout + result.stderr


def test_readability_floor_fails_on_hard_prose():
    page = BAD / "hard-to-read.md"
    assert readability.score(page.read_text(encoding="utf-8")) < 50
    result = run("python", "scripts/readability.py", str(page))
    assert result.returncode == 1 and "TOO HARD" in result.stdout and "hard-to-read.md" in result.stdout


@pytest.mark.parametrize("target", LINT_TARGETS)
def test_markdown_lint_passes(target):
    if not (ROOT / target).exists():
        pytest.skip(f"{target} does not exist")
    result = run("pymarkdown", "--config", ".pymarkdown.json", "scan", "-r", target)
    assert result.returncode == 0, result.stdout + result.stderr


def test_markdown_lint_fails_on_bad_markdown_with_file_and_line():
    result = run("pymarkdown", "--config", ".pymarkdown.json", "scan", str(BAD / "lint.md"))
    assert result.returncode != 0
    assert "lint.md:8:1: MD003" in result.stdout
    assert "lint.md:11:1: MD004" in result.stdout


def test_spelling_passes():
    result = run("codespell", "docs", "CONTRIBUTING.md", "README.md", "templates", "includes", "scripts", "hooks")
    assert result.returncode == 0, result.stdout


def test_spelling_fails_on_a_typo_with_file_and_line():
    result = run("codespell", str(BAD / "role" / "bad-page.md"))
    assert result.returncode != 0 and "bad-page.md:17: Teh ==> The" in result.stdout


def test_ledger_check_catches_unknown_sources_missing_pages_and_unsourced_facts():
    ledger = FIXTURES / "bad-ledger"
    problems = "\n".join(check_citations.check_ledgers(ledger, DOCS, check_citations.known_ids()))
    assert "part.yml:3: fact cites unknown source 'S9'" in problems
    assert "part.yml:6: fact points to missing page 'role/no-such-page.md'" in problems
    assert "part.yml:9: fact has no sources" in problems


def test_chapters_teach_without_narrating_their_sources():
    problems = [p for f in check_narration.chapter_pages(DOCS) for p in check_narration.check_page(f)]
    assert not problems, "\n".join(problems)


def test_narration_check_catches_phrases_and_bare_ids_but_not_footnotes_code_or_comments():
    page = BAD / "role" / "narration.md"
    problems = check_narration.check_page(page)
    found = {(p.split(":")[1], p.split(":")[2], p.split("'")[1]) for p in problems}
    assert found == {("8", "1", "One source"), ("8", "47", "Another source"), ("10", "1", "Two sources"),
                     ("10", "45", "S1"), ("12", "3", "The same interviews"), ("12", "60", "S3"),
                     ("16", "5", "One interviewee")}
    assert all("put the attribution in the footnote" in p for p in problems)
    result = run("python", "scripts/check_narration.py", str(page))
    assert result.returncode == 1 and f"{page}:8:1: source narration 'One source'" in result.stdout


def test_no_page_renders_unsafe_or_off_site_html():
    result = run("python", "scripts/check_html.py")
    assert result.returncode == 0, result.stdout + result.stderr


def test_html_check_reads_rendered_html_and_names_the_markdown_line():
    page = BAD / "role" / "bad-page.md"
    assert check_html.check_markdown_page(page) == [
        f"{page}:11: <script> element is not allowed",
        f"{page}:13: event-handler attribute onclick= is not allowed",
        f"{page}:15: javascript: URL in href= is not allowed"]
    unsafe = FIXTURES / "unsafe-html" / "page.md"
    assert check_html.check_markdown_page(unsafe) == [
        f"{unsafe}:18: event-handler attribute onerror= is not allowed",  # split over two lines
        f"{unsafe}:20: <img> loads a resource from another host: https://tracker.example/pixel.gif",
        f"{unsafe}:22: <iframe> element is not allowed",
        f"{unsafe}:22: <iframe> loads a resource from another host: https://video.example/embed",
        f"{unsafe}:24: <object> element is not allowed",
        f"{unsafe}:26: data: URL in href= is not allowed",
        f"{unsafe}:28: javascript: URL in href= is not allowed",
        f"{unsafe}:30: event-handler attribute onclick= is not allowed",  # added by attr_list
        f"{unsafe}:32: <style> element is not allowed",
        f"{unsafe}:34: <form> element is not allowed",
        f"{unsafe}:34: <button> element is not allowed"]  # the <script> in a code block is not reported


def test_html_check_parses_svg_as_xml():
    svg = FIXTURES / "unsafe-html" / "bad.svg"
    assert check_html.check_svg(svg) == [
        f"{svg}:3: event-handler attribute onclick= is not allowed",
        f"{svg}:5: xlink:href= points outside the file: https://evil.example/sprite.svg#x",
        f"{svg}:7: <style> element is not allowed",
        f"{svg}:8: javascript: URL in href= is not allowed"]


def test_checks_annotate_the_pull_request_on_github_actions():
    page = BAD / "role" / "narration.md"
    plain = run("python", "scripts/check_narration.py", str(page))
    assert "::error" not in plain.stdout
    result = run("python", "scripts/check_narration.py", str(page), env={"GITHUB_ACTIONS": "true"})
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert f"{page}:8:1: source narration 'One source': {check_narration.HINT}" in lines
    assert ("::error file=tests/fixtures/bad-docs/role/narration.md,line=8,col=1,title=Source narration::"
            f"source narration 'One source': {check_narration.HINT}") in lines
    readability_result = run("python", "scripts/readability.py", str(BAD / "hard-to-read.md"),
                             env={"GITHUB_ACTIONS": "true"})
    assert "::error file=tests/fixtures/bad-docs/hard-to-read.md,line=1,title=Readability::Flesch" \
        in readability_result.stdout


def test_chapter_detection_uses_the_docs_folder_not_the_first_docs_in_the_path(tmp_path):
    nested = tmp_path / "docs" / "checkout" / "docs"
    for rel in ("role/page.md", "templates/sheet.md", "contributing/guide.md", "index.md"):
        (nested / rel).parent.mkdir(parents=True, exist_ok=True)
        (nested / rel).write_text("# x\n", encoding="utf-8")
    # A checkout under a folder called docs used to make every check skip the chapter rules.
    assert check_markdown.is_chapter(nested / "role" / "page.md")
    assert check_markdown.is_chapter(nested / "templates" / "sheet.md")
    assert not check_markdown.is_chapter(nested / "contributing" / "guide.md")
    assert not check_markdown.is_chapter(nested / "index.md")
    assert check_markdown.is_chapter(nested / "role" / "page.md", docs=nested)
    assert check_markdown.is_chapter(DOCS / "role" / "index.md")
