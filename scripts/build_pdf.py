"""Build the whole handbook as one book-quality PDF with WeasyPrint.

Builds the site into a temporary folder (or reads --site), reads the book from it
(scripts/book.py: the pages of the nav, cleaned, ids prefixed, links pointed inside
the book), then makes it a printed book: footnotes at the bottom of their page, a
page number after every cross-reference, the reader templates as fill-in sheets,
and prints cover + contents + list of figures + parts + pages with
templates/pdf/book.css. The PDF is tagged (PDF/UA-1), carries title, author,
subject and language, and opens with its bookmarks shown.

Usage: python scripts/build_pdf.py [--out build/download/handbook.pdf]
       [--paper a4|letter] [--site SITE_DIR] [--html BOOK.html] [--config mkdocs.yml]
PAPER=letter in the environment (or `make pdf PAPER=letter`) selects US Letter.
"""
from __future__ import annotations

import argparse
import datetime
import html
import os
import sys
import tempfile
import time
from pathlib import Path
from string import Template

from bs4 import BeautifulSoup
from pygments.formatters import HtmlFormatter

import book as bk
from site_build import build_site

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates" / "pdf"
PAPERS = {"a4": ("A4", "297mm"), "letter": ("letter", "11in")}
PDF_VARIANT = "pdf/ua-1"  # tagged PDF with XMP metadata (WeasyPrint)
PLACEHOLDER = "000"  # book.css: a.xref::after prints "(p. 000)" until fill_page_numbers()
PLACEHOLDER_TEXT = f"(p.\xa0{PLACEHOLDER})"


def page_bottom_notes(page: bk.Page, soup: BeautifulSoup) -> None:
    """Move each footnote to its first call, as a `float: footnote` span; later calls repeat its number.

    WeasyPrint prints a floated footnote at the bottom of the page of its call, and
    moves the call's line to the next page rather than split the note.
    """
    for note in bk.notes(page):
        span = soup.new_tag("span", attrs={"class": "fn", "id": note.id, "data-n": str(note.number)})
        paragraphs = note.body.find_all("p", recursive=False) or [note.body]
        for i, paragraph in enumerate(paragraphs):
            if i:
                span.append(" ")
            for child in list(paragraph.contents):
                span.append(child.extract())
        first, *again = note.calls
        first.replace_with(span)
        for call in again:
            call["class"] = "fn-again"
    for block in page.article.select("div.footnote"):
        block.decompose()


def page_numbers(book: bk.Book, rules: dict) -> int:
    """Mark cross-references (class xref) for a page number, "(p. 42)"; return how many.

    Every link to another place in the book gets one, except footnote calls and links
    into lookup pages (the glossary, the sources). book.css prints a placeholder of
    fixed width, "(p. 000)", which fill_page_numbers() replaces once the book is laid out.
    """
    page_of = book.page_of()
    count = 0
    for page in book.pages:
        for link in page.article.select("a[href^='#']"):
            target = page_of.get(link["href"][1:])
            if target is None or "footnote-ref" in (link.get("class") or []) or bk.is_lookup(target, rules):
                continue
            link["class"] = [*(link.get("class") or []), "xref"]
            count += 1
    return count


def fill_page_numbers(document) -> int:
    """Write each cross-reference's page number into its "(p. 000)" placeholder; return how many.

    CSS target-counter() could print them, but WeasyPrint 70 then lays out every page
    that holds one at least twice more (`make pdf` about 1.5 times slower) and, when it
    lays out a page again next to a page whose footnote moved on, can drop a footnote.
    So book.css prints a placeholder of fixed width and, once the book is laid out (the
    page of every anchor known), each placeholder gets its number and the rest of its
    line moves left by the width the shorter number saves. No line breaks differently.
    """
    from weasyprint.anchors import gather_anchors
    from weasyprint.formatting_structure.boxes import LineBox, ParentBox, TextBox
    from weasyprint.text.line_break import line_size

    page_of = {}
    for number, page in enumerate(document.pages, 1):
        for anchor in page.anchors:
            page_of.setdefault(anchor, number)

    def lines(box):
        for child in getattr(box, "children", ()):
            if isinstance(child, LineBox):
                yield child
            yield from lines(child)

    def placeholders(box):
        """(text box, target) of each placeholder in a line, not looking into nested lines."""
        for child in getattr(box, "children", ()):
            if isinstance(child, LineBox):
                continue
            if child.element_tag == "a::after" and "xref" in (child.element.get("class") or "").split():
                for text_box in child.children:
                    if isinstance(text_box, TextBox) and PLACEHOLDER_TEXT in text_box.text:
                        yield text_box, child.element.get("href", "")[1:]
            elif isinstance(child, ParentBox):
                yield from placeholders(child)

    def close_gap(box, text_box, dx) -> bool:
        """Move what follows text_box in `box` left by dx; narrow the boxes around it."""
        found = False
        for child in box.children:
            if found:
                child.translate(dx=-dx)
            elif child is text_box:
                found = True
            elif isinstance(child, ParentBox) and close_gap(child, text_box, dx):
                child.width -= dx
                found = True
        return found

    filled = 0
    for page in document.pages:
        changed = False
        for line in list(lines(page._page_box)):
            for text_box, target in list(placeholders(line)):
                number = str(page_of[target])
                if len(number) > len(PLACEHOLDER):
                    raise ValueError(f"page {number} is longer than the placeholder {PLACEHOLDER!r} of book.css")
                text = text_box.text.replace(PLACEHOLDER_TEXT, f"(p.\xa0{number})")
                layout = text_box.pango_layout
                layout.reactivate(text_box.style)
                layout.set_text(text)
                width, _ = line_size(layout.get_first_line()[0], text_box.style)
                layout.deactivate()
                close_gap(line, text_box, text_box.width - width)
                text_box.text = layout.text = text
                text_box.width = width
                filled += 1
                changed = True
        if changed:  # the links after a placeholder moved: gather the clickable areas again
            page.anchors, page.links, page.bookmarks, page.forms = {}, [], [], {None: []}
            gather_anchors(page._page_box, page.anchors, page.links, page.bookmarks, page.forms)
    return filled


def fill_in_lines(page: bk.Page) -> None:
    """In a template sheet, give every blank to fill ('…' or 'Label:') room to write on paper."""
    for item in page.article.select(".template-sheet li"):
        text = item.get_text(" ", strip=True)
        if text == "…":
            item["class"] = "fill-in fill-in-long"
        elif text.endswith(":") and not item.find(["ul", "ol"]):
            item["class"] = "fill-in"


def figures(book: bk.Book) -> list[tuple[str, str, str]]:
    """(id, 'Figure 1.1.', caption) of every numbered figure, in book order."""
    found = []
    for page in book.pages:
        for figure in page.article.select("figure[id]"):
            prefix = figure.select_one(".caption-prefix")
            caption = figure.find("figcaption")
            if prefix and caption:
                text = caption.get_text(" ", strip=True).removeprefix(prefix.get_text(" ", strip=True)).strip()
                found.append((figure["id"], prefix.get_text(" ", strip=True), text.rstrip(".")))
    return found


def abbreviations_chapter(book: bk.Book) -> str:
    """A closing chapter that expands every abbreviation used in the book."""
    found = bk.abbreviations(book.pages)
    if not found:
        return ""
    rows = "".join(f"<dt>{html.escape(k)}</dt><dd>{html.escape(v)}</dd>" for k, v in found.items())
    return (f'<section class="chapter" id="page-abbreviations" data-part="{html.escape(book.title)}"'
            ' data-title="Abbreviations">'
            f'<h1>Abbreviations</h1><dl class="abbreviations">{rows}</dl></section>')


def assemble(book: bk.Book, edition: datetime.date) -> str:
    """The whole book as one HTML document."""
    config = book.config
    toc, body = [], []

    def chapter(page: bk.Page, section: bk.Section | None) -> str:
        header = section.title if section else ("" if page.title == book.title else book.title)
        css_class = "chapter in-part" if section else "chapter"
        return (f'<section class="{css_class}" id="{page.key}" data-part="{html.escape(header)}"'
                f' data-title="{html.escape(page.title)}">{page.article.decode_contents()}</section>')

    for entry in book.sections():
        if isinstance(entry, bk.Page):
            toc.append(f'<li><a href="#{entry.key}">{html.escape(entry.title)}</a></li>')
            body.append(chapter(entry, None))
            continue
        items = "".join(f'<li><a href="#{p.key}">{html.escape(p.title)}</a></li>' for p in entry.pages)
        name = html.escape(entry.title)
        toc.append(f'<li class="toc-part"><a href="#{entry.key}">{name}</a><ol>{items}</ol></li>')
        body.append(f'<section class="part" id="{entry.key}" data-title="{name}">'
                    f'<p class="part-label">{html.escape(entry.label)}</p>'
                    f'<h1 class="part-title" data-title="{name}">{html.escape(entry.name)}</h1>'
                    f'<ol class="part-contents">{items}</ol></section>')
        body.extend(chapter(page, entry) for page in entry.pages)
    closing = abbreviations_chapter(book)
    if closing:
        toc.append('<li><a href="#page-abbreviations">Abbreviations</a></li>')
        body.append(closing)
    figure_list = "".join(f'<li><a href="#{fid}"><span class="lof-number">{html.escape(number)}</span> '
                          f'{html.escape(text)}</a></li>' for fid, number, text in figures(book))
    fields = {
        "lang": (config.get("theme") or {}).get("language") or "en",
        "title": book.title, "author": config.get("site_author") or "",
        "description": " ".join((config.get("site_description") or "").split()),
        "created": edition.isoformat(), "edition": bk.date_text(config, edition),
        "site_url": config.get("site_url") or "", "licence": " ".join((config.get("copyright") or "").split()),
    }
    fields = {k: html.escape(v) for k, v in fields.items()}
    template = Template((TEMPLATES / "book.html").read_text(encoding="utf-8"))
    figures_section = (f'<nav class="lof" id="figures"><h1>Figures</h1><ol>{figure_list}</ol></nav>'
                       if figure_list else "")
    if figure_list:
        toc.insert(0, '<li><a href="#figures">Figures</a></li>')
    return template.substitute(fields, toc="\n".join(toc), figures=figures_section, body="\n".join(body))


def show_outline(document, pdf) -> None:
    """WeasyPrint finisher: open the PDF with the bookmarks panel shown."""
    pdf.catalog["PageMode"] = "/UseOutlines"


def render(book_html: str, out: Path, paper: str, base: Path) -> int:
    """Print the book with WeasyPrint, fetching local files only (never the network).

    Returns how many cross-reference page numbers were filled in.
    """
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    size, height = PAPERS[paper]
    fetcher = URLFetcher(allowed_protocols={"file", "data"})
    styles = [CSS(filename=str(TEMPLATES / "book.css"), url_fetcher=fetcher),
              CSS(string=HtmlFormatter().get_style_defs(".highlight")),
              CSS(string=f"@page {{ size: {size}; }} .cover {{ height: {height}; }}")]
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_suffix(".pdf.part")  # the site never publishes a half-written PDF
    document = HTML(string=book_html, base_url=base.as_uri() + "/", url_fetcher=fetcher).render(
        stylesheets=styles, pdf_variant=PDF_VARIANT)
    filled = fill_page_numbers(document)
    document.write_pdf(partial, pdf_variant=PDF_VARIANT, finisher=show_outline)
    partial.replace(out)
    return filled


def make_book(config_file: Path, site: Path, edition: datetime.date) -> tuple[str, list[str]]:
    """The book HTML for the PDF from a built site, and the problems found on the way."""
    book = bk.load_book(config_file, site)
    rules = bk.load_rules()
    soup = BeautifulSoup("", "html.parser")
    for page in book.pages:
        page_bottom_notes(page, soup)
        fill_in_lines(page)
    page_numbers(book, rules)
    return assemble(book, edition), book.problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "download" / "handbook.pdf")
    parser.add_argument("--paper", choices=PAPERS, default=os.environ.get("PAPER", "a4").lower() or "a4")
    parser.add_argument("--site", type=Path, help="an already built site (default: build one)")
    parser.add_argument("--html", type=Path, help="also write the book HTML here")
    parser.add_argument("--config", type=Path, default=ROOT / "mkdocs.yml")
    args = parser.parse_args()
    start = time.perf_counter()
    timings = {}
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site.resolve() if args.site else Path(tmp) / "site"
        if not args.site:
            build_site(args.config, site)
        timings["site"] = time.perf_counter() - start
        book_html, problems = make_book(args.config, site, bk.edition_date())
        if args.html:
            args.html.parent.mkdir(parents=True, exist_ok=True)
            args.html.write_text(book_html, encoding="utf-8")
        timings["book"] = time.perf_counter() - start - timings["site"]
        render(book_html, args.out, args.paper, site)
        timings["print"] = time.perf_counter() - start - timings["site"] - timings["book"]
    for problem in problems:
        print(f"warning: {problem}", file=sys.stderr)
    split = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in timings.items())
    print(f"{args.out} ({args.paper}) in {time.perf_counter() - start:.1f} s ({split})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
