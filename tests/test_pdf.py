"""The handbook PDF (scripts/build_pdf.py): outline, contents, text, links, fonts, images.

The PDF is built once per module into a temporary folder. Each checker is a plain
function that returns a list of problems, and is also run on a deliberately bad
tiny PDF or HTML to prove it can fail.
"""
from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import build_pdf  # noqa: E402

pytestmark = pytest.mark.book

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
    """(level, title) per nav section and built page, in nav order: what the outline must hold."""
    config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=build_pdf.LenientLoader)
    entries = []

    def walk(items, level):
        for item in items:
            title, value = next(iter(item.items())) if isinstance(item, dict) else (None, item)
            if isinstance(value, list):
                entries.append((level, norm(title)))
                walk(value, level + 1)
            elif isinstance(value, str) and value.endswith(".md"):
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


# ---- The real PDF ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def book(tmp_path_factory):
    """Build the site and the PDF once; yield (reader, book HTML, page text, site folder)."""
    tmp = tmp_path_factory.mktemp("pdf")
    site = tmp / "site"
    build_pdf.build_site(ROOT / "mkdocs.yml", site)
    subprocess.run([sys.executable, str(ROOT / "scripts" / "build_pdf.py"), "--site", str(site),
                    "--out", str(tmp / "handbook.pdf"), "--html", str(tmp / "book.html")], check=True)
    reader = PdfReader(tmp / "handbook.pdf")
    text = "\n".join(page.extract_text() for page in reader.pages)
    yield reader, (tmp / "book.html").read_text(encoding="utf-8"), text, site


@pytest.mark.slow
def test_outline_has_every_part_and_page_in_nav_order(book):
    reader, _, _, site = book
    got = [(level, title) for level, title, _ in outline(reader)]
    want = expected_outline(ROOT / "mkdocs.yml", site) + [(1, "Abbreviations")]
    assert got == want


@pytest.mark.slow
def test_text_contains_every_page_title(book):
    _, _, text, site = book
    titles = [title for _, title in expected_outline(ROOT / "mkdocs.yml", site)]
    assert [t for t in titles if t not in norm(text)] == []


@pytest.mark.slow
def test_contents_show_page_numbers(book):
    assert toc_problems(book[0]) == []


@pytest.mark.slow
def test_no_injected_code_from_the_sources(book):
    text = book[2].lower()
    assert [bad for bad in INJECTION if bad in text] == []


@pytest.mark.slow
def test_every_internal_link_has_a_destination(book):
    reader, book_html, _, _ = book
    assert html_link_problems(book_html) == []
    assert link_problems(reader) == []
    external = [a for page in reader.pages for a in page.get("/Annots") or []
                if "/URI" in (a.get_object().get("/A") or {})]
    assert external, "no clickable external link"


@pytest.mark.slow
def test_fonts_are_embedded(book):
    assert unembedded_fonts(book[0]) == []


@pytest.mark.slow
def test_images_are_present(book):
    _, book_html, text, _ = book
    assert image_problems(book_html, text) == []


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
    build_pdf.tidy(soup.article, soup)
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


def _save(writer: PdfWriter) -> io.BytesIO:
    data = io.BytesIO()
    writer.write(data)
    data.seek(0)
    return data
