"""The real site builds strictly, and its built HTML is sound and self-contained.

Tests marked any_engine also run on the Zensical build (`make zensical`)."""
from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from conftest import offline_strict, strict_site

import check_html
import check_site
from helpers import FIXTURES, ROOT, mkdocs_build, run, unavailable

pytestmark = pytest.mark.site


@pytest.fixture(scope="module")
def site(tmp_path_factory, engine):
    """The handbook built once per run, strictly, by the engine under test (conftest.py:
    strict_site, shared with the browser checks); fails if the build warns."""
    out, result = strict_site(tmp_path_factory, engine)
    output = result["stdout"] + result["stderr"]
    warnings = [ln for ln in output.splitlines() if re.search(r"WARNING|ERROR|Warning:|Error:", ln)]
    assert result["returncode"] == 0 and not warnings, "\n".join(warnings) or output[-3000:]
    return out


@pytest.mark.any_engine
def test_strict_build_has_no_warnings(site, engine):
    assert (site / "index.html").is_file()
    index = {"mkdocs": "search/search_index.json", "zensical": "search.json"}[engine]
    assert (site / index).is_file()


def test_strict_build_fails_on_broken_link_and_anchor(tmp_path):
    result = mkdocs_build(FIXTURES / "broken-site" / "mkdocs.yml", tmp_path / "out")
    assert result.returncode != 0
    assert "'index.md' contains a link 'missing.md'" in result.stderr
    assert "does not contain an anchor '#nowhere'" in result.stderr


@pytest.mark.any_engine
def test_built_site_links_anchors_and_hosts_are_sound(site):
    problems = check_site.check_site(site, base="/handbook/")
    assert not problems, "\n".join(problems)


def test_built_pages_hold_no_unsafe_html(site):
    assert check_html.check_built_site(site, ROOT / "docs") == []


def test_unsafe_html_in_a_built_page_is_reported_against_its_markdown_line(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text((FIXTURES / "unsafe-html" / "page.md").read_text(encoding="utf-8"),
                                   encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Unsafe\nsite_url: https://example.org/\nrepo_url: https://github.com/o/r\n"
        "edit_uri: edit/main/docs/\ntheme:\n  name: material\n  features: [content.action.edit]\n"
        "markdown_extensions: [attr_list, md_in_html]\n", encoding="utf-8")
    result = mkdocs_build(tmp_path / "mkdocs.yml", tmp_path / "site", strict=False)
    assert result.returncode == 0, result.stderr[-2000:]
    problems = check_html.check_built_site(tmp_path / "site", docs)
    source = docs / "index.md"
    for expected in (":18: event-handler attribute onerror=", ":20: <img> loads a resource from another host",
                     ":22: <iframe> element is not allowed", ":24: <object> element is not allowed",
                     ":26: data: URL in href=", ":30: event-handler attribute onclick="):
        assert any(p.startswith(f"{source}{expected}") and p.endswith("(in the built page index.html)")
                   for p in problems), expected
    assert not any("shown, not run" in p or ":11:" in p for p in problems)


def test_site_check_catches_broken_links_and_third_party_loads():
    problems = "\n".join(check_site.check_site(FIXTURES / "bad-built-site"))
    assert "index.html: broken link 'missing/'" in problems
    assert "index.html: link 'guide/#nowhere' points to a missing anchor '#nowhere'" in problems
    assert "guide/#section" not in problems
    for host in ("fonts.googleapis.com", "unpkg.com", "fonts.gstatic.com", "example.com/tracker.gif",
                 "example.com/embed"):
        assert host in problems, host


@pytest.mark.any_engine
def test_no_page_requests_google_fonts_or_cdn(site):
    html = (site / "index.html").read_text(encoding="utf-8")
    assert "fonts.googleapis.com" not in html and "fonts.gstatic.com" not in html
    assert "unpkg.com" not in html and "cdn.jsdelivr" not in html
    assert "iframe-worker" not in html  # only the offline build needs the shim


@pytest.mark.slow
def test_offline_build_uses_the_vendored_shim_not_a_cdn(tmp_path_factory):
    site, result = offline_strict(tmp_path_factory)  # strict: a warning fails it
    assert result["returncode"] == 0, result["stderr"][-2000:]
    html = (site / "role" / "index.html").read_text(encoding="utf-8")
    assert '<script src="../assets/javascripts/iframe-worker-shim.js"' in html
    assert "unpkg.com" not in html and "iframe-worker/shim" not in html


@pytest.mark.any_engine
def test_home_page_maps_every_part(site):
    import check_markdown
    html = (site / "index.html").read_text(encoding="utf-8")
    for part in (f"{p}/" for p in check_markdown.PARTS):
        assert f'href="{part}"' in html, part


def test_edit_button_and_last_updated_date(site):
    html = (site / "role" / "index.html").read_text(encoding="utf-8")
    assert "edit/main/docs/role/index.md" in html
    # scripts/gen_dates.py's date in extra.date_format (overrides/partials/source-file.html).
    assert re.search(r'Last updated <time datetime="\d{4}-\d{2}-\d{2}">\d{1,2} [A-Z][a-z]+ \d{4}</time>', html)


@pytest.mark.any_engine
def test_abbreviations_show_on_hover(site):
    html = (site / "role" / "index.html").read_text(encoding="utf-8")
    assert '<abbr title="Product manager">PM</abbr>' in html


@pytest.mark.any_engine
def test_contributing_guide_is_included_from_one_source(site):
    html = (site / "contributing" / "index.html").read_text(encoding="utf-8")
    assert "The rules that matter most" in html
    assert "--8&lt;--" not in html


@pytest.mark.any_engine
def test_glossary_and_sources_are_filled_by_the_generators(site):
    glossary = (site / "glossary" / "index.html").read_text(encoding="utf-8")
    sources = (site / "sources" / "index.html").read_text(encoding="utf-8")
    assert "Discussed in:" in glossary
    assert 'id="r-scrum-guide"' in sources
    assert "<!-- cited-by" not in sources and "No chapter cites this source yet" not in sources


def discussed_in(site) -> dict[str, list]:
    """Each glossary entry's id -> the <a> elements of its "Discussed in" paragraph."""
    soup = BeautifulSoup((site / "glossary" / "index.html").read_text(encoding="utf-8"), "html.parser")
    found = {}
    for h3 in soup.select("article h3[id]"):
        for sibling in h3.find_next_siblings():
            if sibling.name in ("h2", "h3"):
                break
            if sibling.name == "p" and sibling.get_text().startswith("Discussed in:"):
                found[h3["id"]] = sibling.find_all("a")
    return found


@pytest.mark.any_engine
def test_every_discussed_in_is_its_own_paragraph_and_every_link_works(site):
    """The last entry (User story) once ran "Discussed in" into its definition."""
    lists = discussed_in(site)
    assert len(lists) >= 40 and "user-story" in lists, sorted(lists)
    soup = BeautifulSoup((site / "glossary" / "index.html").read_text(encoding="utf-8"), "html.parser")
    for p in soup.select("article p"):
        text = p.get_text(" ", strip=True)
        assert "Discussed in:" not in text or text.startswith("Discussed in:"), text[:120]
    page = site / "glossary" / "index.html"
    titles = {}  # each page parsed once: the same chapters are linked from many entries
    for term, links in lists.items():
        for a in links:
            target = check_site.resolve(site, page, a["href"])
            assert target is not None, f"#{term}: {a['href']} is not a page of the site"
            if target not in titles:
                titles[target] = BeautifulSoup(target.read_text(encoding="utf-8"), "html.parser").find("h1")
            h1 = titles[target]
            assert h1 and h1.get_text(strip=True).startswith(a.get_text(strip=True)[:20]), (term, a["href"])


@pytest.mark.any_engine
def test_titles_with_quotes_show_without_quote_marks(site):
    """`title: "Empathy for users: the root skill"` is YAML; its quotes are not part of it."""
    glossary = (site / "glossary" / "index.html").read_text(encoding="utf-8")
    sources = (site / "sources" / "index.html").read_text(encoding="utf-8")
    for html in (glossary, sources):
        assert ">Empathy for users: the root skill</a>" in html
        assert '"Empathy for users' not in html and "&quot;Empathy for users" not in html


@pytest.mark.any_engine
def test_glossary_has_an_a_to_z_bar_linking_every_letter_section(site):
    soup = BeautifulSoup((site / "glossary" / "index.html").read_text(encoding="utf-8"), "html.parser")
    bar = soup.select_one("article nav.hb-az")
    assert bar is not None and bar.get("aria-label")
    sections = [h2["id"] for h2 in soup.select("article h2[id]")]
    assert [a["href"] for a in bar.find_all("a")] == [f"#{s}" for s in sections]
    assert [a.get_text() for a in bar.find_all("a")][:3] == ["0–9", "A", "B"]


@pytest.mark.any_engine
def test_no_download_is_offered_or_published_unless_really_built(site):
    """Without `make pdf` / `make offline` there is no button and no placeholder file."""
    from gen_downloads import DOWNLOAD_DIR
    if any((DOWNLOAD_DIR / name).exists() for name in ("handbook.pdf", "handbook-offline.zip", "handbook.epub")):
        pytest.skip("build/download/ holds real files; tests/test_generators.py covers both cases")
    html = (site / "index.html").read_text(encoding="utf-8")
    article = str(BeautifulSoup(html, "html.parser").find("article"))  # the inline style names the class
    assert "hb-downloads" not in article and "download/handbook" not in html
    assert not (site / "download").exists()


@pytest.mark.slow
def test_strict_build_works_in_a_shallow_clone(tmp_path):
    """Last-updated dates fall back to the build date instead of failing (CI clones shallowly)."""
    clone = tmp_path / "clone"
    cloned = run("git", "clone", "--quiet", "--depth", "1", f"file://{ROOT}", str(clone))
    if cloned.returncode != 0:
        unavailable(f"cannot clone the repository: {cloned.stderr.strip()}")
    result = mkdocs_build(clone / "mkdocs.yml", tmp_path / "out")
    warnings = [ln for ln in result.stderr.splitlines() if "WARNING" in ln]
    assert result.returncode == 0 and not warnings, "\n".join(warnings) or result.stderr[-2000:]
