"""The handbook PDF (scripts/build_pdf.py): outline, contents, text, links, fonts, images,
footnotes at the page bottom, page numbers of cross-references, print wording, tags and
metadata.

The PDF is built once per module (from the site the session builds once, conftest.py:
book_site). Each checker is a plain function that returns a list of problems, and is
also run on a deliberately bad tiny PDF or HTML (or a fixture in tests/fixtures/book/)
to prove it can fail.
"""
from __future__ import annotations

import io
import re
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import shared_run
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import book  # noqa: E402
import build_pdf  # noqa: E402

pytestmark = pytest.mark.book
FIXTURES = ROOT / "tests" / "fixtures" / "book"

INJECTION = ("base64", "add_action", "<script")


def norm(text: str) -> str:
    """Text with single spaces and straight quotes, for comparisons."""
    return " ".join(text.replace("\u2019", "'").replace("\u00ad", "").split())


def tiny_pdf(body: str) -> PdfReader:
    """A small PDF printed by WeasyPrint from an HTML body (no stylesheet)."""
    from weasyprint import HTML
    data = io.BytesIO()
    HTML(string=f"<html><body>{body}</body></html>").write_pdf(data)
    return PdfReader(data)


# ---- Checkers -------------------------------------------------------------------------

def outline(reader: PdfReader) -> list[tuple[int, str, int]]:
    """(level, title, 1-based page) for every bookmark, depth first."""
    found = []

    def walk(items, level):
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                found.append((level, norm(item.title), reader.get_destination_page_number(item) + 1))
    walk(reader.outline, 1)
    return found


def expected_outline(config_file: Path, site: Path) -> list[tuple[int, str]]:
    """(level, title) per nav section and built page of the book, in nav order: what the outline must hold."""
    config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=book.LenientLoader)
    rules = book.load_rules()
    entries = []

    def walk(items, level):
        for item in items:
            title, value = next(iter(item.items())) if isinstance(item, dict) else (None, item)
            if isinstance(value, list):
                pages = book.read_nav(value)
                if any(not book.left_out(page.src, rules) for page in pages):
                    entries.append((level, norm(title)))
                    walk(value, level + 1)
            elif isinstance(value, str) and value.endswith(".md") and not book.left_out(value, rules):
                stem = Path(value).with_suffix("")
                page = site / (stem.parent if stem.name == "index" else stem) / "index.html"
                if page.is_file():
                    h1 = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one("article h1")
                    entries.append((level, norm(h1.get_text(" ", strip=True).removesuffix("¶"))))
    walk(config["nav"], 1)
    return entries


def toc_problems(reader: PdfReader) -> list[str]:
    """Bookmarks whose title and page number are not listed in the contents pages."""
    entries = outline(reader)
    if not entries:
        return ["the PDF has no outline"]
    first_page = min(page for _, _, page in entries)
    toc = norm(" ".join(reader.pages[i].extract_text() for i in range(first_page - 1)))
    return [f"contents lack {title!r} ... {page}" for _, title, page in entries
            if not re.search(re.escape(title) + r"[ .]*\b" + str(page) + r"\b", toc)]


def link_problems(reader: PdfReader) -> list[str]:
    """Internal link annotations whose named destination does not exist; none at all is a problem."""
    names, problems, internal = set(reader.named_destinations), [], 0
    for number, page in enumerate(reader.pages, 1):
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Subtype") != "/Link":
                continue
            action = annot.get("/A") or {}
            dest = annot.get("/Dest", action.get("/D"))
            if dest is None:
                continue
            internal += 1
            if isinstance(dest, str) and str(dest) not in names:
                problems.append(f"page {number}: link to missing destination {dest!r}")
    return problems + ([] if internal else ["no internal links"])


def html_link_problems(book_html: str) -> list[str]:
    """In-document hrefs of the book HTML that match no id."""
    soup = BeautifulSoup(book_html, "html.parser")
    ids = {tag["id"] for tag in soup.find_all(id=True)}
    return [f"href {a['href']!r} has no target" for a in soup.find_all("a", href=True)
            if a["href"].startswith("#") and a["href"][1:] not in ids]


def unembedded_fonts(reader: PdfReader) -> list[str]:
    """Fonts used on any page (or in its forms) that are not embedded in the PDF."""
    missing, seen = set(), set()

    def visit(resources):
        resources = resources.get_object() if resources else {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            if font.get("/Subtype") == "/Type3":  # glyphs are drawn inline
                continue
            face = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            desc = face.get("/FontDescriptor")
            desc = desc.get_object() if desc else {}
            if not any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                missing.add(str(font.get("/BaseFont")))
        for xobject in (resources.get("/XObject") or {}).values():
            xobject = xobject.get_object()
            if id(xobject) not in seen and "/Resources" in xobject:
                seen.add(id(xobject))
                visit(xobject["/Resources"])
    for page in reader.pages:
        visit(page.get("/Resources"))
    return sorted(missing)


def image_problems(book_html: str, pdf_text: str) -> list[str]:
    """Images of the book that are missing, or whose alt text was printed instead (load failure)."""
    images = BeautifulSoup(book_html, "html.parser").find_all("img")
    problems = [] if images else ["the book has no images"]
    text = norm(pdf_text)
    for img in images:
        src = urlsplit(img.get("src", ""))
        if src.scheme == "file" and not Path(unquote(src.path)).is_file():
            problems.append(f"image file missing: {src.path}")
        elif img.get("alt") and norm(img["alt"]) in text:
            problems.append(f"alt text printed instead of image: {img.get('src')}")
    return problems


def letters(text: str) -> str:
    """Only the letters and digits of a text, lower case: immune to line breaks and hyphenation."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


def page_texts(reader: PdfReader) -> list[str]:
    """The text of every page (pypdf takes seconds for the whole book: extract it once)."""
    return [page.extract_text() for page in reader.pages]


def footnote_problems(texts: list[str], book_html: str) -> list[str]:
    """Footnotes that are not printed whole on one page (split, lost), and back-link arrows."""
    soup = BeautifulSoup(book_html, "html.parser")
    notes = soup.select("span.fn")
    pages = [letters(text) for text in texts]
    problems = [] if notes else ["the book has no footnotes"]
    for note in notes:
        body = letters(note.get_text(" "))
        if not any(body in page for page in pages):
            problems.append(f"footnote {note.get('id')} is not printed whole on one page")
    if any("\u21a9" in text for text in texts):
        problems.append("a back-link arrow (\u21a9) is printed")
    return problems


def xref_problems(reader: PdfReader, texts: list[str], book_html: str) -> list[str]:
    """Cross-references whose printed "(p. N)" is not the page of their target."""
    dests = {name: reader.get_destination_page_number(dest) + 1 for name, dest in reader.named_destinations.items()}
    soup = BeautifulSoup(book_html, "html.parser")
    links = soup.select("a.xref")
    want = Counter(dests.get(a["href"][1:]) for a in links)
    text = "\n".join(texts)
    got = Counter(int(n) for n in re.findall(r"\(p\.\s(\d+)\)", text))
    problems = [] if links else ["the book has no cross-references"]
    problems += [f"{count} cross-reference(s) point to page {page} but do not say so"
                 for page, count in sorted((want - got).items(), key=str)]
    problems += [f"{count} cross-reference(s) say page {page} and point elsewhere"
                 for page, count in sorted((got - want).items(), key=str)]
    return problems


def tagging_problems(reader: PdfReader) -> list[str]:
    """A tagged PDF with its title, author, subject and language, that opens with bookmarks shown."""
    root = reader.trailer["/Root"]
    info = reader.metadata or {}
    problems = []
    if "/StructTreeRoot" not in root:
        problems.append("no StructTreeRoot: the PDF is not tagged")
    if not (root.get("/MarkInfo") or {}).get("/Marked"):
        problems.append("MarkInfo /Marked is not true")
    if not root.get("/Lang"):
        problems.append("no document language (/Lang)")
    problems += [f"no {key[1:]} in the document information" for key in ("/Title", "/Author", "/Subject")
                 if not info.get(key)]
    if root.get("/PageMode") != "/UseOutlines":
        problems.append("does not open with the bookmarks shown (PageMode /UseOutlines)")
    if not (root.get("/ViewerPreferences") or {}).get("/DisplayDocTitle"):
        problems.append("viewers show the file name, not the title (DisplayDocTitle)")
    return problems


def repeat_problems(book_html: str) -> list[str]:
    """Figures whose caption or drawn title repeats the heading right above them."""
    soup = BeautifulSoup(book_html, "html.parser")
    problems = []
    for figure in soup.find_all("figure"):
        heading = figure.find_previous(re.compile(r"^h[1-6]$"))
        if heading is None:
            continue
        said = norm(heading.get_text(" ", strip=True)).lower()
        caption = figure.find("figcaption")
        prefix = figure.select_one(".caption-prefix")
        texts = [caption.get_text(" ", strip=True).removeprefix(prefix.get_text(strip=True) if prefix else "")
                 if caption else ""]
        for img in figure.find_all("img", src=True):
            src = urlsplit(img["src"])
            if src.scheme == "file" and src.path.endswith(".svg") and Path(unquote(src.path)).is_file():
                drawn = BeautifulSoup(Path(unquote(src.path)).read_text(encoding="utf-8"), "html.parser")
                first = drawn.find("text")
                texts.append(first.get_text(" ", strip=True) if first else "")
        for text in texts:
            if text and norm(text).lower().rstrip(".") == said:
                name = figure.get("id") or "a figure"
                problems.append(f"{name} repeats its heading {heading.get_text(strip=True)!r}")
    return problems



# ---- The real PDF ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def book_pdf(book_site, tmp_path_factory):
    """Build the PDF once from the session's site; yield (reader, book HTML, text, site folder, page texts)."""
    tmp = shared_run(tmp_path_factory, "pdf", lambda folder: [
        str(ROOT / "scripts" / "build_pdf.py"), "--site", str(book_site),
        "--out", str(folder / "handbook.pdf"), "--html", str(folder / "book.html")])
    reader = PdfReader(tmp / "handbook.pdf")
    texts = page_texts(reader)
    yield reader, (tmp / "book.html").read_text(encoding="utf-8"), "\n".join(texts), book_site, texts


@pytest.mark.slow
def test_outline_has_every_part_and_page_in_nav_order(book_pdf):
    reader, _, _, site, _ = book_pdf
    got = [(level, title) for level, title, _ in outline(reader)]
    want = expected_outline(ROOT / "mkdocs.yml", site) + [(1, "Abbreviations")]
    assert got == want


@pytest.mark.slow
def test_text_contains_every_page_title(book_pdf):
    _, _, text, site, _ = book_pdf
    titles = [title for _, title in expected_outline(ROOT / "mkdocs.yml", site)]
    assert [t for t in titles if t not in norm(text)] == []


@pytest.mark.slow
def test_contents_show_page_numbers(book_pdf):
    assert toc_problems(book_pdf[0]) == []


@pytest.mark.slow
def test_no_injected_code_from_the_sources(book_pdf):
    text = book_pdf[2].lower()
    assert [bad for bad in INJECTION if bad in text] == []


@pytest.mark.slow
def test_every_internal_link_has_a_destination(book_pdf):
    reader, book_html, _, _, _ = book_pdf
    assert html_link_problems(book_html) == []
    assert link_problems(reader) == []
    external = [a for page in reader.pages for a in page.get("/Annots") or []
                if "/URI" in (a.get_object().get("/A") or {})]
    assert external, "no clickable external link"


@pytest.mark.slow
def test_fonts_are_embedded(book_pdf):
    assert unembedded_fonts(book_pdf[0]) == []


@pytest.mark.slow
def test_images_are_present(book_pdf):
    _, book_html, text, _, _ = book_pdf
    assert image_problems(book_html, text) == []


@pytest.mark.slow
def test_footnotes_sit_whole_at_the_bottom_of_a_page(book_pdf):
    _, book_html, _, _, texts = book_pdf
    assert footnote_problems(texts, book_html) == []


@pytest.mark.slow
def test_cross_references_print_the_page_they_point_to(book_pdf):
    reader, book_html, text, _, texts = book_pdf
    assert xref_problems(reader, texts, book_html) == []
    # The glossary's "Discussed in" lists name each page with its number.
    discussed = re.findall(r"Discussed in: (.+?)(?:\n[A-Z0-9]|$)", text, re.S)
    assert discussed and all(re.search(r"\(p\.\s\d+\)", norm(line)) for line in discussed)


@pytest.mark.slow
def test_no_web_only_wording_in_the_pdf(book_pdf):
    assert book.web_only_wording(norm(book_pdf[2])) == []


@pytest.mark.slow
def test_tagged_with_metadata_and_opens_with_bookmarks(book_pdf):
    assert tagging_problems(book_pdf[0]) == []


@pytest.mark.slow
def test_contributing_pages_stay_on_the_site(book_pdf):
    reader, book_html, text, _, _ = book_pdf
    assert book.stale_rules(book.read_nav(book.load_config(ROOT / "mkdocs.yml").get("nav")), book.load_rules()) == []
    soup = BeautifulSoup(book_html, "html.parser")
    assert not soup.select("section[id^='page-contributing']"), "a contributing page is in the book"
    assert "Contributing" not in [title for _, title, _ in outline(reader)]
    online = [str(a.get_object()["/A"]["/URI"]) for page in reader.pages for a in page.get("/Annots") or []
              if "/URI" in (a.get_object().get("/A") or {})]
    assert any("/contributing/" in uri for uri in online), "the links to the contributing guide do not go online"


@pytest.mark.slow
def test_figures_are_numbered_listed_and_not_repeated(book_pdf):
    _, book_html, _, _, _ = book_pdf
    soup = BeautifulSoup(book_html, "html.parser")
    prefixes = [p.get_text(strip=True) for p in soup.select("figure .caption-prefix")]
    assert prefixes and all(re.fullmatch(r"Figure \d+\.\d+\.", p) for p in prefixes)
    listed = [a["href"][1:] for a in soup.select(".lof a")]
    assert listed == [f["id"] for f in soup.select("figure[id]") if f.select_one(".caption-prefix")]
    assert repeat_problems(book_html) == []


@pytest.mark.slow
def test_reader_templates_are_fill_in_sheets(book_pdf):
    _, book_html, _, _, _ = book_pdf
    soup = BeautifulSoup(book_html, "html.parser")
    templates = [s for s in soup.select("section.chapter") if s["id"].startswith("page-templates-")]
    assert templates and all(t.select_one(".template-sheet .fill-in") for t in templates)


def test_a_long_note_stays_in_one_block(tmp_path):
    """A long note whose call falls low on page 1 is printed whole: WeasyPrint takes its call to page 2."""
    html = (FIXTURES / "long-note.html").read_text(encoding="utf-8")
    out = tmp_path / "note.pdf"
    build_pdf.render(html, out, "a4", tmp_path)
    reader = PdfReader(out)
    assert len(reader.pages) >= 2
    assert footnote_problems(page_texts(reader), html) == []


def test_page_numbers_fill_in_forward_and_backward(tmp_path):
    html = (FIXTURES / "cross-references.html").read_text(encoding="utf-8")
    out = tmp_path / "xref.pdf"
    assert build_pdf.render(html, out, "a4", tmp_path) == 3
    reader = PdfReader(out)
    assert xref_problems(reader, page_texts(reader), html) == []
    text = norm(reader.pages[0].extract_text())
    assert "the third page (p. 3), then" in text.replace("\u2007", " "), text


def test_web_only_text_is_left_out_and_book_only_text_kept():
    soup = BeautifulSoup('<article><p>Start.<span class="web-only"> Hover over it.</span>'
                         '<span class="book-only"> See the list.</span></p>'
                         '<ul><li class="web-only">Press the slash key.</li><li class="book-only">Read on.</li></ul>'
                         '</article>', "html.parser")
    book.choose_variants(soup.article)
    assert norm(soup.get_text(" ")) == "Start. See the list. Read on."
    assert not soup.select(".book-only, .web-only")


def test_letter_paper_is_an_option(tmp_path):
    """Paper 'letter' gives 8.5 x 11 in pages (checked on a short book, not the whole one)."""
    out = tmp_path / "letter.pdf"
    build_pdf.render("<html><body><section class='cover'></section><p>x</p></body></html>", out, "letter", tmp_path)
    box = PdfReader(out).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def test_tabs_and_details_print_in_full():
    import markdown
    source = ('=== "First"\n\n    One.\n\n=== "Second"\n\n    Two.\n\n'
              '??? note "Closed"\n\n    Hidden.\n')
    body = markdown.markdown(source, extensions=["pymdownx.tabbed", "pymdownx.details"],
                             extension_configs={"pymdownx.tabbed": {"alternate_style": True}})
    soup = BeautifulSoup(f"<article>{body}</article>", "html.parser")
    book.tidy(soup.article, soup)
    assert norm(soup.get_text(" ")) == "First One. Second Two. Closed Hidden."
    assert soup.find("input") is None and soup.find("details").has_attr("open")


# ---- Each checker can fail ---------------------------------------------------------------

def test_outline_and_contents_checkers_catch_a_bad_pdf():
    reader = tiny_pdf("<h1>Alpha</h1><p style='break-before: page'>no contents here</p><h1>Beta</h1>")
    assert [(level, title) for level, title, _ in outline(reader)] == [(1, "Alpha"), (1, "Beta")]
    assert toc_problems(reader) == ["contents lack 'Alpha' ... 1", "contents lack 'Beta' ... 2"]
    assert toc_problems(tiny_pdf("<p>no headings</p>")) == ["the PDF has no outline"]


def test_contents_checker_accepts_a_good_toc():
    reader = tiny_pdf("<style>h1{bookmark-level:1} a::after{content: ' ' target-counter(attr(href url), page)}</style>"
                      "<p><a href='#a'>Alpha</a></p><h1 id='a' style='break-before: page'>Alpha</h1>")
    assert toc_problems(reader) == []


def test_link_checker_catches_a_dangling_destination():
    writer = PdfWriter(clone_from=tiny_pdf("<p id='here'><a href='#here'>link</a></p>"))
    assert link_problems(PdfReader(_save(writer))) == []
    writer.pages[0][NameObject("/Annots")].append(DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Link"),
        NameObject("/Rect"): ArrayObject([NumberObject(0)] * 4), NameObject("/Dest"): TextStringObject("nowhere")}))
    assert link_problems(PdfReader(_save(writer))) == ["page 1: link to missing destination 'nowhere'"]
    assert link_problems(tiny_pdf("<p>no links</p>")) == ["no internal links"]
    assert html_link_problems("<a href='#x'>x</a><p id='y'></p>") == ["href '#x' has no target"]


def test_font_checker_catches_an_unembedded_font():
    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica")})
    writer.pages[0][NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})})
    assert unembedded_fonts(PdfReader(_save(writer))) == ["/Helvetica"]
    assert unembedded_fonts(tiny_pdf("<p>embedded</p>")) == []


def test_image_checker_catches_a_broken_image(tmp_path):
    html = "<img src='file:///nonexistent/diagram.svg' alt='A diagram of three circles'>"
    reader = tiny_pdf(html)
    text = reader.pages[0].extract_text()
    assert image_problems(html, text) == ["image file missing: /nonexistent/diagram.svg"]
    svg = tmp_path / "bad.svg"
    svg.write_text("not an svg")
    html = f"<img src='{svg.as_uri()}' alt='A diagram of three circles'>"
    assert image_problems(html, tiny_pdf(html).pages[0].extract_text()) == [
        f"alt text printed instead of image: {svg.as_uri()}"]
    assert image_problems("<p>text</p>", "text") == ["the book has no images"]


def test_footnote_checker_catches_a_split_note(tmp_path):
    """The same long note printed inline (no float: footnote) runs across the page break."""
    html = (FIXTURES / "long-note.html").read_text(encoding="utf-8").replace(
        "</head>", "<style>.fn { float: none; display: inline; }</style></head>")
    out = tmp_path / "split.pdf"
    build_pdf.render(html, out, "a4", tmp_path)
    assert footnote_problems(page_texts(PdfReader(out)), html) == [
        "footnote long-note is not printed whole on one page"]
    assert footnote_problems(page_texts(tiny_pdf("<p>Text \u21a9</p>")), "<p>no notes</p>") == [
        "the book has no footnotes", "a back-link arrow (\u21a9) is printed"]


def test_xref_checker_catches_a_wrong_page_number():
    html = (FIXTURES / "wrong-page-number.html").read_text(encoding="utf-8")
    reader = tiny_pdf(html)
    assert xref_problems(reader, page_texts(reader), html) == [
        "1 cross-reference(s) point to page 2 but do not say so", "1 cross-reference(s) say page 9 and point elsewhere"]
    assert xref_problems(tiny_pdf("<p>none</p>"), [], "<p>none</p>") == ["the book has no cross-references"]


def test_tagging_checker_catches_an_untagged_pdf():
    assert tagging_problems(tiny_pdf((FIXTURES / "untagged.html").read_text(encoding="utf-8"))) == [
        "no StructTreeRoot: the PDF is not tagged", "MarkInfo /Marked is not true", "no document language (/Lang)",
        "no Title in the document information", "no Author in the document information",
        "no Subject in the document information", "does not open with the bookmarks shown (PageMode /UseOutlines)",
        "viewers show the file name, not the title (DisplayDocTitle)"]


def test_web_wording_checker_catches_the_old_home_page():
    text = (FIXTURES / "web-wording.md").read_text(encoding="utf-8")
    found = book.web_only_wording(text)
    assert len(found) == 6, found  # hover, box at the top, slash key, search box, pencil icon, top right


def test_repeat_checker_catches_a_caption_that_repeats_its_heading():
    svg = (FIXTURES / "titled-diagram.svg").as_uri()
    html = (FIXTURES / "repeat.html").read_text(encoding="utf-8").replace("DIAGRAM", svg)
    assert repeat_problems(html) == ["figure-a repeats its heading 'Where each role sits'",
                                     "figure-b repeats its heading 'The map'"]


def test_stale_book_rules_are_reported():
    pages = book.read_nav(book.load_config(ROOT / "mkdocs.yml").get("nav"))
    assert book.stale_rules(pages, book.load_rules(FIXTURES / "bad-book.yml")) == [
        "templates/book.yml: leave_out entry 'old-contributing/' matches no page of the nav",
        "templates/book.yml: lookup entry 'glossary-old.md' matches no page of the nav"]


def _save(writer: PdfWriter) -> io.BytesIO:
    data = io.BytesIO()
    writer.write(data)
    data.seek(0)
    return data
