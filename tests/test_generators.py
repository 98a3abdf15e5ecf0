"""The generators behind the glossary, the sources page and the download buttons
(scripts/gen_*.py, scripts/generate.py), on fixtures and on the real docs.

Fixtures: tests/fixtures/generators/docs (a tiny docs tree), tests/fixtures/bad-sources
(wrong sources-page markers); downloads are made in a temporary folder."""
from __future__ import annotations

import json
import re
import zipfile

import gen_downloads
import gen_glossary
import gen_sources
import generate
import pytest
import site_config
from pypdf import PdfWriter

from helpers import FIXTURES, ROOT, mkdocs_build, run

DOCS = FIXTURES / "generators" / "docs"
BAD_SOURCES = FIXTURES / "bad-sources" / "sources.md"


def glossary() -> str:
    return gen_glossary.render((DOCS / "glossary.md").read_text(encoding="utf-8"), DOCS)


# --- glossary -----------------------------------------------------------------

def test_last_entry_gets_its_own_discussed_in_paragraph():
    lines = glossary().splitlines()
    last = lines.index('The last entry: its "Discussed in" must be a paragraph of its own.')
    assert lines[last + 1] == "", "Discussed in runs into the definition"
    assert lines[last + 2].startswith("*Discussed in:* ")
    assert lines[last + 3] == "{ data-search-exclude }"


def test_backlinks_are_read_again_when_a_page_changes(tmp_path):
    """Pages are scanned once per file version (a build asks twice; `mkdocs serve` on
    every reload): an edited page must still be read anew."""
    import backlinks
    (tmp_path / "glossary.md").write_text("# Glossary\n", encoding="utf-8")
    page = tmp_path / "a.md"
    page.write_text("# A\n\nSee [term](glossary.md#term).\n", encoding="utf-8")
    assert backlinks.pages_linking_to(tmp_path, "glossary.md") == {"term": [backlinks.Page("A", "a.md")]}
    page.write_text("---\ntitle: B\n---\n\nSee [other](glossary.md#other) instead.\n", encoding="utf-8")
    assert backlinks.pages_linking_to(tmp_path, "glossary.md") == {"other": [backlinks.Page("B", "a.md")]}


def test_discussed_in_uses_yaml_titles_and_ignores_code_and_comments():
    text = glossary()
    zeta = re.search(r"\*Discussed in:\* (.*)", text.split("### Zeta")[1]).group(1)
    assert zeta == "[Plain page](part/plain.md), [Quoted: a title with a colon](part/quoted.md)"
    assert '"Quoted' not in text
    alpha = text.split("### Alpha")[1].split("## Z")[0]
    assert "Discussed in" not in alpha, "links in code and comments are examples, not references"


def test_jump_bar_links_every_letter_section_before_the_first():
    text = glossary()
    bar = re.search(r'<nav class="hb-az" aria-label="[^"]+">\n(.*?)\n</nav>', text, re.S)
    assert bar, text[:400]
    assert bar.group(1).splitlines() == ['<a href="#09">0\u20139</a>', '<a href="#a">A</a>', '<a href="#z">Z</a>']
    assert text.index("<nav") < text.index("## 0\u20139")


# --- sources page -------------------------------------------------------------

def test_sources_page_fills_cited_by_and_references():
    text = gen_sources.render((DOCS / "sources.md").read_text(encoding="utf-8"), DOCS)
    assert "<!--" not in text
    assert '<div class="hb-cited-by" data-search-exclude markdown>' in text
    assert "- [Quoted: a title with a colon](part/quoted.md)" in text
    assert "Ken Schwaber and Jeff Sutherland. *The Scrum Guide*. 2020." in text and "{ #r-scrum-guide }" in text


def test_unknown_markers_and_unknown_sources_fail_with_file_and_line():
    text = BAD_SOURCES.read_text(encoding="utf-8")
    problems = gen_sources.marker_problems(text, BAD_SOURCES, gen_sources.known_ids(ROOT))
    assert [p.split(": ")[0] for p in problems] == [f"{BAD_SOURCES}:5", f"{BAD_SOURCES}:7", f"{BAD_SOURCES}:11"]
    assert "'s9' is in neither sources/registry.yml nor sources/references.yml" in problems[0]
    assert "unknown marker '<!-- cites-by: s1 -->' (known: cited-by, references)" in problems[1]
    assert "takes no argument" in problems[2]
    with pytest.raises(gen_sources.SourcesPageError, match=re.escape(f"{BAD_SOURCES}:5:")):
        gen_sources.render(text, DOCS, path=BAD_SOURCES)
    result = run("python", "scripts/gen_sources.py", "--check", str(BAD_SOURCES.parent))
    assert result.returncode == 1 and f"{BAD_SOURCES}:7: unknown marker" in result.stdout


def test_real_sources_page_markers_are_sound():
    result = run("python", "scripts/gen_sources.py", "--check")
    assert result.returncode == 0, result.stdout


def test_a_wrong_marker_stops_the_mkdocs_build(tmp_path):
    """The hook is a thin wrapper: the same check stops the build, with file:line."""
    docs = tmp_path / "docs"
    generate.shutil.copytree(ROOT / "docs", docs)
    (docs / "sources.md").write_text((docs / "sources.md").read_text(encoding="utf-8")
                                     .replace("<!-- cited-by: s2 -->", "<!-- cites-by: s2 -->"), encoding="utf-8")
    config = site_config.absolute_paths(site_config.load())
    config["docs_dir"] = str(docs)
    (tmp_path / "mkdocs.yml").write_text(site_config.dump(config, "test"), encoding="utf-8")
    result = mkdocs_build(tmp_path / "mkdocs.yml", tmp_path / "site")
    assert result.returncode != 0
    assert re.search(r"sources\.md:\d+: unknown marker '<!-- cites-by: s2 -->'", result.stderr), result.stderr[-2000:]


# --- downloads ----------------------------------------------------------------

def make_pdf(path, pages: int) -> None:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    with open(path, "wb") as f:
        writer.write(f)


def make_zip(path, files: dict[str, str]) -> None:
    with zipfile.ZipFile(path, "w") as zf:
        for name, text in files.items():
            zf.writestr(name, text)


def test_placeholders_are_never_offered(tmp_path):
    """What `make build` alone used to publish: text files named .pdf and .zip."""
    (tmp_path / "handbook.pdf").write_text("Placeholder: handbook.pdf was not built for this preview.\n")
    (tmp_path / "handbook-offline.zip").write_text("You are reading the offline site already.\n")
    assert gen_downloads.available(tmp_path) == []
    page = (DOCS / "index.md").read_text(encoding="utf-8")
    filled = gen_downloads.fill(page, [])
    assert "<!-- downloads -->" not in filled and "download/" not in filled


def test_real_files_get_buttons_with_format_size_and_pages(tmp_path):
    make_pdf(tmp_path / "handbook.pdf", 3)
    make_zip(tmp_path / "handbook.epub", {"mimetype": "application/epub+zip"})
    make_zip(tmp_path / "handbook-offline.zip", {"handbook/index.html": "<p>hi</p>"})
    found = gen_downloads.available(tmp_path)
    assert [d.name for d in found] == ["handbook.pdf", "handbook.epub", "handbook-offline.zip"]
    assert found[0].details == "PDF \u00b7 0.1 MB \u00b7 3 pages"
    assert found[1].details == "EPUB \u00b7 0.1 MB" and found[2].details == "ZIP \u00b7 0.1 MB"
    html = gen_downloads.buttons(found)
    assert "[Download <span class=\"hb-download__details\">PDF \u00b7 0.1 MB \u00b7 3 pages</span>]" \
           "(download/handbook.pdf){ .md-button .md-button--primary }" in html
    assert "(download/handbook-offline.zip){ .md-button }" in html
    offline_names = site_config.offline(site_config.load())["extra"]["downloads"]
    assert [d.name for d in gen_downloads.available(tmp_path, offline_names)] == ["handbook.pdf", "handbook.epub"]


def test_a_pdf_is_counted_once_per_version_in_any_process(tmp_path, monkeypatch):
    """Every build used to spend 1.4 s of CPU counting the handbook PDF's pages."""
    monkeypatch.setattr(gen_downloads, "PAGES_CACHE", tmp_path / "cache" / "pdf-pages.json")
    pdf = tmp_path / "handbook.pdf"
    make_pdf(pdf, 3)
    assert gen_downloads.pdf_pages(pdf) == 3
    assert list(json.loads(gen_downloads.PAGES_CACHE.read_text()).values()) == [3]
    counted = []
    monkeypatch.setattr(gen_downloads, "count_pdf_pages", lambda path: counted.append(path) or 99)
    gen_downloads._pdf_pages.cache_clear()  # what a new process starts with
    assert gen_downloads.pdf_pages(pdf) == 3 and counted == []  # from the cache, as a new process would
    make_pdf(pdf, 4)  # a new version is counted again
    assert gen_downloads.pdf_pages(pdf) == 99 and counted == [pdf.resolve()]
    pdf.write_text("not a PDF")
    monkeypatch.undo()
    assert gen_downloads.pdf_pages(pdf) is None


def test_metadata_command_prints_what_exists(tmp_path):
    make_pdf(tmp_path / "handbook.pdf", 1)
    result = run("python", "scripts/gen_downloads.py", str(tmp_path))
    assert result.returncode == 0 and '"details": "PDF \u00b7 0.1 MB \u00b7 1 page"' in result.stdout


@pytest.mark.slow
def test_mkdocs_build_publishes_a_real_download_with_its_button(tmp_path):
    downloads = tmp_path / "download"
    downloads.mkdir()
    make_pdf(downloads / "handbook.pdf", 2)
    config = site_config.absolute_paths(site_config.load())
    config["extra"]["download_dir"] = str(downloads)
    (tmp_path / "mkdocs.yml").write_text(site_config.dump(config, "test"), encoding="utf-8")
    result = mkdocs_build(tmp_path / "mkdocs.yml", tmp_path / "site")
    assert result.returncode == 0, result.stderr[-2000:]
    html = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert 'href="download/handbook.pdf"' in html and "PDF \u00b7 0.1 MB \u00b7 2 pages" in html
    assert "handbook-offline.zip" not in html
    assert (tmp_path / "site" / "download" / "handbook.pdf").read_bytes() == (downloads / "handbook.pdf").read_bytes()


# --- staging for engines without hooks ----------------------------------------

def test_stage_fills_pages_and_copies_real_downloads(tmp_path):
    make_pdf(tmp_path / "handbook.pdf", 2)
    out = generate.stage(tmp_path / "staged", DOCS, download_dir=tmp_path)
    assert "*Discussed in:*" in (out / "glossary.md").read_text(encoding="utf-8")
    assert "<!--" not in (out / "sources.md").read_text(encoding="utf-8")
    index = (out / "index.md").read_text(encoding="utf-8")
    assert "(download/handbook.pdf)" in index and "handbook-offline.zip" not in index
    assert (out / "download" / "handbook.pdf").is_file()
    plain = (out / "part" / "plain.md").read_text(encoding="utf-8")  # its text, with its date (gen_dates.py)
    front, body = plain.split("---\n", 2)[1:]
    assert body == (DOCS / "part" / "plain.md").read_text(encoding="utf-8")
    assert front.startswith("git_revision_date_localized: ")
    assert (DOCS / "glossary.md").read_text(encoding="utf-8").count("Discussed in") == 1  # source untouched
