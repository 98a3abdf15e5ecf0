"""The real site builds strictly, and its built HTML is sound and self-contained."""
from __future__ import annotations

import pytest

import check_html
import check_site
from helpers import FIXTURES, ROOT, mkdocs_build, run, unavailable

pytestmark = pytest.mark.site


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The handbook built once with --strict; fails the module if the build warns."""
    out = tmp_path_factory.mktemp("site")
    result = mkdocs_build(ROOT / "mkdocs.yml", out)
    warnings = [ln for ln in result.stderr.splitlines() if "WARNING" in ln or "ERROR" in ln]
    assert result.returncode == 0 and not warnings, "\n".join(warnings) or result.stderr[-3000:]
    return out


def test_strict_build_has_no_warnings(site):
    assert (site / "index.html").is_file()
    assert (site / "search" / "search_index.json").is_file()


def test_strict_build_fails_on_broken_link_and_anchor(tmp_path):
    result = mkdocs_build(FIXTURES / "broken-site" / "mkdocs.yml", tmp_path / "out")
    assert result.returncode != 0
    assert "'index.md' contains a link 'missing.md'" in result.stderr
    assert "does not contain an anchor '#nowhere'" in result.stderr


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


def test_no_page_requests_google_fonts_or_cdn(site):
    html = (site / "index.html").read_text(encoding="utf-8")
    assert "fonts.googleapis.com" not in html and "fonts.gstatic.com" not in html
    assert "unpkg.com" not in html and "cdn.jsdelivr" not in html
    assert "iframe-worker" not in html  # only the offline build needs the shim


def test_offline_build_uses_the_vendored_shim_not_a_cdn(tmp_path):
    result = mkdocs_build(ROOT / "mkdocs.yml", tmp_path / "out", env={"OFFLINE": "true"})
    assert result.returncode == 0, result.stderr[-2000:]
    html = (tmp_path / "out" / "role" / "index.html").read_text(encoding="utf-8")
    assert '<script src="../assets/javascripts/iframe-worker-shim.js"' in html
    assert "unpkg.com" not in html and "iframe-worker/shim" not in html


def test_home_page_maps_every_part(site):
    import check_markdown
    html = (site / "index.html").read_text(encoding="utf-8")
    for part in (f"{p}/" for p in check_markdown.PARTS):
        assert f'href="{part}"' in html, part


def test_edit_button_and_last_updated_date(site):
    html = (site / "role" / "index.html").read_text(encoding="utf-8")
    assert "edit/main/docs/role/index.md" in html
    assert "git-revision-date-localized-plugin" in html


def test_abbreviations_show_on_hover(site):
    html = (site / "role" / "index.html").read_text(encoding="utf-8")
    assert '<abbr title="Product manager">PM</abbr>' in html


def test_contributing_guide_is_included_from_one_source(site):
    html = (site / "contributing" / "index.html").read_text(encoding="utf-8")
    assert "The rules that matter most" in html
    assert "--8&lt;--" not in html


def test_glossary_and_sources_are_filled_by_hooks(site):
    glossary = (site / "glossary" / "index.html").read_text(encoding="utf-8")
    sources = (site / "sources" / "index.html").read_text(encoding="utf-8")
    assert "Discussed in:" in glossary
    assert 'id="r-scrum-guide"' in sources
    assert "<!-- cited-by" not in sources and "No chapter cites this source yet" not in sources


def test_strict_build_works_in_a_shallow_clone(tmp_path):
    """Last-updated dates fall back to the build date instead of failing (CI clones shallowly)."""
    clone = tmp_path / "clone"
    cloned = run("git", "clone", "--quiet", "--depth", "1", f"file://{ROOT}", str(clone))
    if cloned.returncode != 0:
        unavailable(f"cannot clone the repository: {cloned.stderr.strip()}")
    result = mkdocs_build(clone / "mkdocs.yml", tmp_path / "out")
    warnings = [ln for ln in result.stderr.splitlines() if "WARNING" in ln]
    assert result.returncode == 0 and not warnings, "\n".join(warnings) or result.stderr[-2000:]
