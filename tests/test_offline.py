"""The offline zip (scripts/build_offline.py): unpacked and opened from file://, with no network.

The zip is built once per module into a temporary folder. Every local file a page
needs must be in the zip; in headless Chromium a page shows and search answers.
"""
from __future__ import annotations

import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup
from conftest import shared_run

pytestmark = pytest.mark.book

ROOT = Path(__file__).resolve().parent.parent
NEEDS = {"img": "src", "script": "src", "link": "href", "a": "href", "source": "src"}


def missing_files(root: Path) -> list[str]:
    """Local files that pages load or link to but that are not in the unpacked site."""
    problems = []
    for page in sorted(root.rglob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for tag, attr in NEEDS.items():
            for element in soup.find_all(tag, attrs={attr: True}):
                url = urlsplit(element[attr])
                if url.scheme or url.netloc or not url.path:
                    continue
                if not (page.parent / unquote(url.path)).exists():
                    problems.append(f"{page.relative_to(root)}: {element[attr]}")
    return problems


@pytest.fixture(scope="module")
def offline_site(tmp_path_factory) -> Path:
    """Build the zip with the real script and unpack it; return the folder holding index.html."""
    zipped = shared_run(tmp_path_factory, "offline-zip", lambda folder: [
        str(ROOT / "scripts" / "build_offline.py"), "--out", str(folder / "site.zip")]) / "site.zip"
    tmp = tmp_path_factory.mktemp("offline")
    with zipfile.ZipFile(zipped) as archive:
        archive.extractall(tmp / "unpacked")
    return tmp / "unpacked" / "handbook"


@pytest.mark.slow
def test_every_page_has_its_files(offline_site):
    assert (offline_site / "index.html").is_file()
    assert (offline_site / "search" / "search_index.js").is_file(), "search index not inlined for file://"
    assert missing_files(offline_site) == []


@pytest.mark.slow
def test_the_offline_copy_never_offers_itself_or_a_placeholder(offline_site):
    """It used to link "Download offline site" to a 73-byte text file."""
    import gen_downloads
    html = (offline_site / "index.html").read_text(encoding="utf-8")
    assert "handbook-offline.zip" not in html and "offline site \u00b7" not in html
    downloads = offline_site / "download"
    for file in sorted(downloads.iterdir()) if downloads.exists() else []:
        kind = gen_downloads.KINDS[file.name][1]
        assert gen_downloads.is_real(file, kind), f"{file.name} is not a real {kind}"
        assert f'href="download/{file.name}"' in html


def test_missing_file_checker_catches_a_gap(tmp_path):
    (tmp_path / "index.html").write_text('<img src="gone.svg"><a href="https://example.org/">x</a><a href="#top">t</a>')
    assert missing_files(tmp_path) == ["index.html: gone.svg"]


@pytest.mark.slow
@pytest.mark.browser
def test_opens_from_file_and_search_answers_with_no_network(offline_site, chromium):
    browser = chromium
    page = browser.new_page()
    requests, errors = [], []
    page.on("pageerror", lambda error: errors.append(str(error)))

    def offline_only(route):
        if route.request.url.startswith(("file:", "data:", "blob:", "about:")):
            return route.continue_()
        requests.append(route.request.url)
        return route.abort()
    page.route("**/*", offline_only)

    diagrams = [p for p in sorted(offline_site.rglob("*.html"))
                if "assets/diagrams/" in p.read_text(encoding="utf-8")]
    broken = []
    for html in diagrams[:1]:
        page.goto(html.as_uri())
        page.wait_for_load_state("load")
        broken = page.evaluate("[...document.images].filter(i => !i.complete || !i.naturalWidth).map(i => i.src)")
    page.goto((offline_site / "index.html").as_uri())
    assert page.locator("article h1").first.is_visible()
    query = page.locator("input.md-search__input")
    query.click()
    query.press_sequentially("empathy", delay=20)
    page.wait_for_selector(".md-search-result__item", timeout=15000)
    first = page.locator(".md-search-result__item").first.inner_text()
    page.close()
    assert "mpathy" in first
    assert broken == []
    assert requests == [], "the offline site tried to reach the network"
    assert errors == []
