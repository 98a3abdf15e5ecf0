"""Search results that open what matched, citations a reader can follow, and the furniture
around a page (issue #14).

- The generators: scripts/gen_citations.py (a source's short name in its footnotes, a comma
  between adjacent note markers) and scripts/gen_chapter_meta.py ("Part 3 · Chapter 2 ·
  6 min read" under a chapter's title). Fixtures: tests/fixtures/citations/.
- The built site in Chromium (marked browser): every page is visited once and checked for
  its chapter line, its "Last updated" date, its "Was this page helpful?" links and its
  footnotes; a search result's first link opens the matching section, highlighted.
  Checks that also hold on Zensical are marked any_engine (`make zensical`).
"""
from __future__ import annotations

import datetime
import re
from urllib.parse import parse_qs, urlsplit

import gen_chapter_meta
import gen_citations
import gen_dates
import pytest
import site_config
from test_browser import DESKTOP, PHONE, load, new_context, page_path, poll, search

import book
from helpers import FIXTURES, ROOT

CITATIONS = FIXTURES / "citations"
CONFIG = site_config.load()
CHAPTERS = gen_chapter_meta.chapters(CONFIG["nav"])  # "eq/empathy.md" -> (3, 3)
DATE = re.compile(r"^[1-9]\d? (January|February|March|April|May|June|July|August|September|"
                  r"October|November|December) \d{4}$")


def url_of(src: str) -> str:
    """A page's address relative to the site: "eq/empathy.md" -> "eq/empathy/", "role/index.md" -> "role/"."""
    return src.removesuffix("index.md") if src.endswith("index.md") else src.removesuffix(".md") + "/"


# --- generators (no build) -----------------------------------------------------

def test_footnotes_name_their_original_source_and_nothing_else():
    labels = gen_citations.load_labels(CITATIONS / "registry.yml")
    out = gen_citations.render((CITATIONS / "page.md").read_text(encoding="utf-8"), labels)
    assert "[^1]: [S3 · North Western Education Service](../sources.md#s3): what the" in out
    assert ("[^2]: [S1 · careers and EQ page](../sources.md#s1) and "
            "[S3 · North Western Education Service](../sources.md#s3): two") in out
    assert "[^3]: [Marty Cagan, *Inspired*, 2017](../sources.md#r-cagan-2017)" in out
    assert "[^1]: [S3](../sources.md#s3): an example in a code block" in out  # fenced code
    assert "links to [S3](../sources.md#s3) outside a footnote" in out  # not a definition


def test_adjacent_note_markers_get_a_comma_outside_code():
    out = gen_citations.render((CITATIONS / "page.md").read_text(encoding="utf-8"), {})
    sep = gen_citations.NOTE_SEPARATOR
    assert f"in a row,[^1]{sep}[^2] three" in out
    assert f"in a row[^1]{sep}[^2]{sep}[^3] and" in out
    assert "one[^1] and two.[^2]" in out  # words between: no comma
    assert "`[^1][^2]` stays" in out and "\n[^1][^2]\n" in out  # inline code, code block
    assert out.count(sep) == 3


def test_an_unknown_source_or_a_missing_name_stops_with_file_and_line():
    bad = CITATIONS / "bad-page.md"
    labels = gen_citations.load_labels(CITATIONS / "registry.yml")
    with pytest.raises(gen_citations.CitationError, match=re.escape(f"{bad}:6: footnote cites S9")):
        gen_citations.render(bad.read_text(encoding="utf-8"), labels, bad)
    with pytest.raises(gen_citations.CitationError, match=r"registry-unlabelled\.yml: no label for S2"):
        gen_citations.load_labels(CITATIONS / "registry-unlabelled.yml")


def test_every_original_source_has_a_short_name():
    labels = gen_citations.load_labels()
    assert sorted(labels) == ["S1", "S2", "S3", "S4", "S5"]
    assert all(0 < len(label.split()) <= 4 for label in labels.values()), labels


def test_chapters_are_numbered_within_their_part():
    assert CHAPTERS["role/index.md"] == (1, 1) and CHAPTERS["role/lifecycle.md"] == (1, 2)
    assert CHAPTERS["getting-hired/first-90-days.md"][0] == 5
    assert not {"index.md", "common-questions.md", "glossary.md", "sources.md"} & set(CHAPTERS)
    assert not [p for p in CHAPTERS if p.startswith(("templates/", "contributing/"))]
    nav = [{"Home": "index.md"}, {"Part 2: Later": ["b/index.md", {"Named": "b/two.md"}, "b/three.md"]},
           {"Templates": ["t/one.md"]}]
    assert gen_chapter_meta.chapters(nav) == {"b/index.md": (2, 1), "b/two.md": (2, 2), "b/three.md": (2, 3)}


def test_chapter_line_goes_right_under_the_title():
    words = " ".join(["word"] * 700)
    page = f"---\ntitle: T\n---\n\n# T\n\n{words}\n\n[^1]: {' '.join(['note'] * 500)}\n"
    out = gen_chapter_meta.render(page, "b/two.md", {"b/two.md": (2, 5)})
    assert out.startswith("---\ntitle: T\n---\n\n# T\n\n" + gen_chapter_meta.line(2, 5, 4) + "\n")
    assert gen_chapter_meta.render(out, "b/two.md", {"b/two.md": (2, 5)}) == out  # once only
    assert gen_chapter_meta.render(page, "other.md", {"b/two.md": (2, 5)}) == page
    assert gen_chapter_meta.minutes("# T\n\nshort") == 1


def test_one_date_format_for_site_and_downloads():
    """extra.date_format is the one place; scripts/gen_dates.py formats "Last updated" with it."""
    assert CONFIG["extra"]["date_format"] == "%-d %B %Y"
    meta = gen_dates.page_meta(1795000000, CONFIG["extra"]["date_format"])  # 18 November 2026, UTC
    assert meta["git_revision_date_localized_raw_custom"] == "18 November 2026"
    assert meta["git_revision_date_localized_raw_iso_date"] == "2026-11-18"
    assert "git_revision_date_localized_raw_custom" not in gen_dates.page_meta(1795000000)
    # The PDF's and the EPUB's edition date (scripts/book.py), in the same format.
    day = datetime.date(2026, 11, 18)
    assert book.date_text(CONFIG, day) == "18 November 2026"
    assert book.date_text({"extra": {"date_format": "%Y-%m-%d"}}, day) == "2026-11-18"


# --- the built site, every page once -------------------------------------------

FACTS = """() => {
  const visible = e => !!e && e.offsetParent !== null && getComputedStyle(e).display !== 'none'
                       && getComputedStyle(e).visibility !== 'hidden';
  const squeeze = e => e.textContent.replace(/\\s+/g, ' ').trim();
  const article = document.querySelector('article.md-content__inner');
  const h1 = article && article.querySelector('h1');
  let next = h1 && h1.nextElementSibling;
  const updated = document.querySelector('.md-source-file .hb-updated');
  const time = updated && updated.querySelector('time');
  const feedback = document.querySelector('.hb-feedback');
  const notes = [...document.querySelectorAll('.footnote > ol > li')].map(li => ({
    id: li.id,
    backrefs: li.querySelectorAll('a.footnote-backref').length,
    shownBackrefs: [...li.querySelectorAll('a.footnote-backref')].filter(
      a => getComputedStyle(a).display !== 'none').length,
    sources: [...li.querySelectorAll('a[href*="sources/#s"]')].map(a => a.textContent.trim()),
  }));
  const glued = [...document.querySelectorAll('sup[id^="fnref"]')]
    .filter(s => s.nextSibling && s.nextSibling.nodeType === 1 && s.nextSibling.matches('sup[id^="fnref"]'))
    .map(s => s.textContent + s.nextSibling.textContent);
  const separated = document.querySelectorAll('sup.hb-note-sep').length;
  return {
    h1: h1 ? h1.textContent.trim() : null,
    afterH1: next ? {cls: next.className, text: squeeze(next), shown: visible(next)} : null,
    updated: updated ? {text: squeeze(updated), iso: time && time.getAttribute('datetime'),
                        shown: visible(updated)} : null,
    feedback: feedback ? {
      shown: visible(feedback), text: squeeze(feedback.querySelector('.hb-feedback__title')),
      links: [...feedback.querySelectorAll('a')].map(a => ({text: a.textContent.trim(), href: a.href}))} : null,
    notes, glued, separated,
  };
}"""


@pytest.fixture(scope="module")
def page_facts(at_desktop) -> dict[str, dict]:
    """What every page of the built site shows (but 404.html), read in Chromium at 1280 px in the
    one visit to every page there (conftest.py: at_desktop, once per run)."""
    return {rel: seen["facts"] for rel, seen in at_desktop.items() if rel != "404.html"}


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.any_engine
def test_every_chapter_shows_part_chapter_and_reading_time_under_its_title(page_facts):
    problems = []
    for src, (part, chapter) in CHAPTERS.items():
        facts = page_facts.get(url_of(src))
        if facts is None:
            problems.append(f"{src}: not built")
            continue
        read = gen_chapter_meta.minutes((ROOT / "docs" / src).read_text(encoding="utf-8"))
        want = f"Part {part} · Chapter {chapter} · {read} min read"
        got = facts["afterH1"]
        if not got or gen_chapter_meta.CLASS not in got["cls"] or got["text"] != want or not got["shown"]:
            problems.append(f"{src}: under the title {got!r}, expected a visible {want!r}")
    others = [rel for rel, facts in page_facts.items()
              if facts["afterH1"] and gen_chapter_meta.CLASS in facts["afterH1"]["cls"]
              and rel not in {url_of(src) for src in CHAPTERS}]
    assert problems == [] and others == [], "\n".join(problems + [f"/{rel}: not a chapter" for rel in others])


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.any_engine
def test_every_page_says_when_it_was_last_updated(page_facts):
    """Both engines: scripts/gen_dates.py in page.meta (MkDocs) or the staged front matter."""
    problems = []
    for rel, facts in page_facts.items():
        got = facts["updated"]
        text = got and got["text"].removeprefix("Last updated ")
        if not got or not got["shown"] or not got["text"].startswith("Last updated ") or not DATE.match(text) \
                or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", got["iso"] or ""):
            problems.append(f"/{rel}: {got!r}, expected a visible 'Last updated 24 November 2026' with <time datetime>")
    assert problems == [], "\n".join(problems)


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.any_engine
def test_every_page_asks_was_it_helpful_with_two_prefilled_issue_links(page_facts, site_url):
    repo = CONFIG["repo_url"].rstrip("/")
    problems = []
    for rel, facts in page_facts.items():
        got = facts["feedback"]
        if not got or not got["shown"] or got["text"] != "Was this page helpful?":
            problems.append(f"/{rel}: no visible 'Was this page helpful?' ({got!r})")
            continue
        answers = []
        for link in got["links"]:
            url = urlsplit(link["href"])
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            answers.append(link["text"])
            if f"{url.scheme}://{url.netloc}{url.path}" != f"{repo}/issues/new" \
                    or query.get("template") != "page-feedback.yml" \
                    or query.get("page") != CONFIG["site_url"] + rel \
                    or query.get("helpful") != link["text"] or not query.get("title", "").startswith("Page feedback: "):
                problems.append(f"/{rel}: {link['text']} -> {link['href']}")
        if answers != ["Yes", "No"]:
            problems.append(f"/{rel}: answers {answers}")
    assert problems == [], "\n".join(problems[:20])
    form = (ROOT / ".github" / "ISSUE_TEMPLATE" / "page-feedback.yml").read_text(encoding="utf-8")
    assert "id: page" in form and "id: helpful" in form and '- "Yes"' in form and '- "No"' in form


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.any_engine
def test_footnotes_name_their_source_separate_markers_and_link_back_once(page_facts):
    labels = gen_citations.load_labels()
    problems, pages_with_notes = [], 0
    for rel, facts in page_facts.items():
        pages_with_notes += bool(facts["notes"])
        for note in facts["notes"]:
            for text in note["sources"]:
                sid = text.split(" ")[0]
                if text != f"{sid}{gen_citations.SEPARATOR}{labels.get(sid, '?')}":
                    problems.append(f"/{rel}#{note['id']}: source shown as {text!r}")
            if note["backrefs"] and note["shownBackrefs"] != 1:
                problems.append(f"/{rel}#{note['id']}: {note['shownBackrefs']} back-links shown "
                                f"(of {note['backrefs']} in the markup)")
        problems += [f"/{rel}: markers {pair!r} read as one number" for pair in facts["glued"]]
    assert problems == [], "\n".join(problems[:20])
    assert pages_with_notes > 20
    assert sum(f["separated"] for f in page_facts.values()) >= 5, "no adjacent markers were separated"
    assert max(n["backrefs"] for f in page_facts.values() for n in f["notes"]) >= 9, "no note is cited nine times"


@pytest.mark.browser
@pytest.mark.any_engine
def test_a_footnote_tooltip_names_the_source(chromium, site_url):
    context = new_context(chromium, viewport=DESKTOP)
    page = context.new_page()
    load(page, site_url + "eq/domains/")
    marker = page.locator("sup[id='fnref:2'] a")  # [^2]: [S3](../sources.md#s3): ...
    marker.scroll_into_view_if_needed()
    marker.hover()
    tips_now = ("[...document.querySelectorAll('.md-tooltip2--active, [role=tooltip]')]"
                ".map(e => e.innerText.trim()).filter(Boolean)")
    poll(page, f"{tips_now}.some(t => t.startsWith('S3'))")  # the tooltip has shown
    tips = page.evaluate(tips_now)
    context.close()
    name = gen_citations.load_labels()["S3"]
    assert any(tip.startswith(f"S3{gen_citations.SEPARATOR}{name}:") for tip in tips), tips


# --- search results open what matched ------------------------------------------

# A question answered by a section whose page title does not match (the defect), and one
# answered by a page title.
OPENS = ["How do I become a product manager without experience?", "How do I handle stakeholder conflict?",
         "What does a technical program manager do?"]


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.any_engine
@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_first_search_result_opens_the_match_highlighted(chromium, site_url, width):
    """The first result's link carries the words to highlight (?h=) and, when only a
    section matched, that section's anchor; following it highlights them, and so does
    opening it in a new tab (the search index loads for ?h=, overrides/lazy-loaders.html)."""
    phone = width == "phone"
    context = new_context(chromium, viewport=PHONE if phone else DESKTOP, is_mobile=phone, has_touch=phone)
    page = context.new_page()
    problems = []
    for query in OPENS:
        load(page, site_url)
        results = search(page, query)
        first = results[0] if results else ""
        highlight = parse_qs(urlsplit(first).query).get("h", [""])[0]
        if not highlight.strip():
            problems.append(f"{query!r}: first result {first!r} highlights nothing")
            continue
        for how in ("click", "new tab"):
            if how == "click":
                page.locator("li.md-search-result__item > a, ol[role=listbox] a[role=option]").first.click()
                # instant navigation: wait for the result's page, then for its highlighted words
                poll(page, f"location.pathname === {urlsplit(first).path!r}")
            else:
                load(page, first)
            marks = poll(page, "[...document.querySelectorAll('article mark')].filter(m => m.offsetParent).length")
            if not marks:
                problems.append(f"{query!r} ({how}): {page.url} shows no highlighted word")
            if urlsplit(first).fragment and urlsplit(page.url).fragment != urlsplit(first).fragment:
                problems.append(f"{query!r} ({how}): opened {page.url}, not the section {first}")
    context.close()
    assert problems == [], "\n".join(problems)


@pytest.mark.browser
@pytest.mark.any_engine
def test_a_section_only_result_links_to_its_section(chromium, site_url):
    context = new_context(chromium, viewport=DESKTOP)
    page = context.new_page()
    load(page, site_url)
    first = search(page, "How do I become a product manager without experience?")[0]
    context.close()
    assert page_path(first, site_url) == "common-questions/"
    assert urlsplit(first).fragment == "how-do-i-become-a-product-manager-without-experience", first
