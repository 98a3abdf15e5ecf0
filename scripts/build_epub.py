"""Build the handbook as an EPUB 3 for e-readers (build/download/handbook.epub) with ebooklib.

The same built HTML as the PDF (scripts/book.py: the pages of the nav, cleaned, ids
prefixed, links pointed inside the book), written as one XHTML file per chapter in
reading order: a cover, the navigation document (parts and chapters, as in the
site's nav), a title page per part, the chapters, the glossary, the reader
templates, the sources and the abbreviations. Footnotes become EPUB notes
(noteref and footnote), so e-readers show them as pop-ups. The SVG diagrams keep
their titles and descriptions. No scripts, no web chrome, no embedded fonts (the
reader's own fonts are used). Accessibility metadata follows EPUB Accessibility 1.1.

Usage: python scripts/build_epub.py [--out build/download/handbook.epub] [--site SITE_DIR]
       [--config mkdocs.yml]
"""
from __future__ import annotations

import argparse
import datetime
import html
import io
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup, Tag
from ebooklib import epub

import book as bk
from site_build import build_site

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates" / "epub"
COVER_SIZE = (1600, 2560)  # the 1:1.6 portrait that e-reader stores ask for
A11Y_SUMMARY = (
    "The text is structured with headings, lists and tables, and a navigation document lists every part "
    "and chapter. Every diagram has a text alternative and a longer description. Footnotes are linked both "
    "ways. No fonts are embedded, so the reader's own font and size apply.")


class Writer(epub.EpubWriter):
    """ebooklib's writer, with the landmarks of the navigation document hidden.

    The navigation document is in the reading order (readers show it as the
    contents page); its landmarks serve the reader's menus, not the reader, and the
    EPUB spec asks for `hidden` there. ebooklib writes them without it.
    """

    def _get_nav(self, item):
        nav = super()._get_nav(item)
        return nav.replace(b'<nav epub:type="landmarks">', b'<nav epub:type="landmarks" hidden="hidden">')


def note_asides(page: bk.Page, soup: BeautifulSoup) -> None:
    """Make the page's footnotes EPUB notes: each call a noteref, each note an <aside> at the end."""
    found = bk.notes(page)
    if not found:
        for block in page.article.select("div.footnote"):
            block.decompose()
        return
    section = soup.new_tag("section", attrs={"class": "notes", "epub:type": "endnotes", "role": "doc-endnotes"})
    heading = soup.new_tag("h2")
    heading.string = "Notes"
    section.append(heading)
    for note in found:
        for call in note.calls:
            link = call.find("a")
            link.attrs = {"href": f"#{note.id}", "epub:type": "noteref", "role": "doc-noteref"}
        aside = soup.new_tag("aside", attrs={"id": note.id, "epub:type": "footnote", "role": "doc-footnote"})
        paragraphs = note.body.find_all("p", recursive=False) or [note.body]
        back = soup.new_tag("a", attrs={"href": f"#{note.calls[0]['id']}", "role": "doc-backlink"})
        back.string = f"{note.number}."
        for i, paragraph in enumerate(paragraphs):
            p = soup.new_tag("p")
            if i == 0:
                p.append(back)
                p.append(" ")
            for child in list(paragraph.contents):
                p.append(child.extract())
            aside.append(p)
        section.append(aside)
    for block in page.article.select("div.footnote"):
        block.decompose()
    page.article.append(section)


def plain_blocks(article: Tag, soup: BeautifulSoup) -> None:
    """No interactive HTML in an e-book: details become boxes, checkboxes become ☐ and ☑."""
    for details in article.find_all("details"):
        details.name = "div"
        details.attrs = {"class": ["admonition", *(details.get("class") or [])]}
        summary = details.find("summary")
        if summary is not None:
            summary.name = "p"
            summary.attrs = {"class": "admonition-title"}
    for box in article.find_all("input"):
        box.replace_with("☑ " if box.has_attr("checked") else "☐ ")
    for tag in article.find_all(True):
        for attr in [a for a in tag.attrs if a.startswith("data-") or a in ("tabindex", "loading")]:
            del tag[attr]


def point_links(page: bk.Page, file_of: dict[str, str]) -> None:
    """Point '#id' links at the chapter file that holds the id (the file alone for a chapter's start)."""
    for link in page.article.find_all("a", href=True):
        target = link["href"][1:] if link["href"].startswith("#") else None
        file = file_of.get(target)
        if file is None:
            continue
        if file == f"{page.key}.xhtml":
            link["href"] = f"#{target}"
        else:
            link["href"] = file if target == file.removesuffix(".xhtml") else f"{file}#{target}"


def collect_images(page: bk.Page, images: dict[Path, str]) -> None:
    """Give each local image a name inside the EPUB (images/...); point its src there."""
    for img in page.article.find_all("img", src=True):
        src = urlsplit(img["src"])
        if src.scheme != "file":
            continue
        path = Path(unquote(src.path))
        name = images.setdefault(path, f"images/{path.name}")
        img["src"] = name


def part_page(section: bk.Section, css: epub.EpubItem, lang: str) -> epub.EpubHtml:
    """A title page for a part or an appendix: its label, its name and its chapters."""
    items = "".join(f'<li><a href="{p.key}.xhtml">{html.escape(p.title)}</a></li>' for p in section.pages)
    item = epub.EpubHtml(uid=section.key, file_name=f"{section.key}.xhtml", title=section.title, lang=lang)
    item.content = (f'<section class="part" epub:type="part" role="doc-part" aria-labelledby="{section.key}-title">'
                    f'<p class="part-label">{html.escape(section.label)}</p>'
                    f'<h1 class="part-title" id="{section.key}-title">{html.escape(section.name)}</h1>'
                    f'<ol class="part-contents">{items}</ol></section>')
    item.add_item(css)
    return item


def abbreviations_page(book: bk.Book, css: epub.EpubItem, lang: str) -> epub.EpubHtml | None:
    """A closing chapter that expands every abbreviation used in the book."""
    found = bk.abbreviations(book.pages)
    if not found:
        return None
    rows = "".join(f"<dt><abbr>{html.escape(k)}</abbr></dt><dd>{html.escape(v)}</dd>" for k, v in found.items())
    item = epub.EpubHtml(uid="page-abbreviations", file_name="page-abbreviations.xhtml", title="Abbreviations",
                         lang=lang)
    item.content = (f'<section epub:type="appendix" role="doc-appendix">'
                    f'<h1>Abbreviations</h1><dl class="abbreviations">{rows}</dl></section>')
    item.add_item(css)
    return item


def cover_image(title: str, subtitle: str, edition: str) -> bytes:
    """The cover as a PNG: the PDF's cover colours and words, drawn with Pillow (no font is embedded)."""
    from PIL import Image, ImageDraw, ImageFont

    width, height = COVER_SIZE
    image = Image.new("RGB", COVER_SIZE, "#1a237e")
    draw = ImageDraw.Draw(image)

    def font(size: int, bold: bool = False):
        for name in (("DejaVuSans-Bold.ttf", "LiberationSans-Bold.ttf") if bold
                     else ("DejaVuSans.ttf", "LiberationSans-Regular.ttf")):
            try:
                return ImageFont.truetype(name, size)
            except OSError:
                continue
        return ImageFont.load_default(size)

    def wrap(text: str, face, max_width: int) -> list[str]:
        lines, line = [], ""
        for word in text.split():
            trial = f"{line} {word}".strip()
            if draw.textlength(trial, font=face) <= max_width or not line:
                line = trial
            else:
                lines.append(line)
                line = word
        return [*lines, line] if line else lines

    left, y = 150, 620
    draw.text((left, y), "A FREE, OPEN HANDBOOK", font=font(48), fill="#c5cae9")
    y += 110
    face = font(132, bold=True)
    for line in wrap(title, face, width - 2 * left):
        draw.text((left, y), line, font=face, fill="#ffffff")
        y += 160
    y += 60
    face = font(54)
    for line in wrap(subtitle, face, width - 2 * left):
        draw.text((left, y), line, font=face, fill="#e8eaf6")
        y += 76
    draw.text((left, y + 90), edition, font=font(54, bold=True), fill="#ffffff")
    data = io.BytesIO()
    image.save(data, "PNG", optimize=True)
    return data.getvalue()


def metadata(book_out: epub.EpubBook, config: dict, edition: datetime.date) -> None:
    """Title, language, authors, licence, dates, identifier and accessibility metadata."""
    site_url = config.get("site_url") or ""
    book_out.set_identifier(f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, site_url or config['site_name'])}")
    book_out.set_title(config["site_name"])
    book_out.set_language((config.get("theme") or {}).get("language") or "en")
    book_out.add_author(config.get("site_author") or config["site_name"])
    book_out.add_metadata("DC", "rights", " ".join((config.get("copyright") or "").split()))
    book_out.add_metadata("DC", "description", " ".join((config.get("site_description") or "").split()))
    book_out.add_metadata("DC", "date", edition.isoformat())
    if site_url:
        book_out.add_metadata("DC", "source", site_url)
    for prop, values in {
        "schema:accessMode": ["textual", "visual"],
        "schema:accessModeSufficient": ["textual"],
        "schema:accessibilityFeature": ["structuralNavigation", "tableOfContents", "readingOrder",
                                        "alternativeText", "longDescription", "displayTransformability"],
        "schema:accessibilityHazard": ["none"],
        "schema:accessibilitySummary": [A11Y_SUMMARY],
    }.items():
        for value in values:
            book_out.add_metadata(None, "meta", value, {"property": prop})


def make_epub(config_file: Path, site: Path, out: Path, edition: datetime.date) -> list[str]:
    """Write the EPUB from a built site; return the problems found on the way."""
    book = bk.load_book(config_file, site)
    config = book.config
    lang = (config.get("theme") or {}).get("language") or "en"
    soup = BeautifulSoup("", "html.parser")
    file_of = {anchor: f"{page.key}.xhtml" for anchor, page in book.page_of().items()}
    images: dict[Path, str] = {}
    for page in book.pages:
        note_asides(page, soup)
        plain_blocks(page.article, soup)
        point_links(page, file_of)
        collect_images(page, images)

    out_book = epub.EpubBook()
    metadata(out_book, config, edition)
    css = epub.EpubItem(uid="style", file_name="style/book.css", media_type="text/css",
                        content=(TEMPLATES / "book.css").read_bytes())
    out_book.add_item(css)
    edition_text = f"Edition of {bk.date_text(config, edition)}"
    description = " ".join((config.get("site_description") or "").split())
    out_book.set_cover("images/cover.png", cover_image(book.title, description, edition_text), create_page=False)
    cover = epub.EpubHtml(uid="cover", file_name="cover.xhtml", title="Cover", lang=lang)
    cover.content = (f'<section epub:type="cover" class="cover"><img src="images/cover.png" alt="'
                     f'{html.escape(book.title)}. {html.escape(edition_text)}."/></section>')
    cover.add_item(css)
    out_book.add_item(cover)
    nav = epub.EpubNav(title="Contents")
    nav.add_item(css)
    out_book.add_item(nav)

    spine: list = [cover, "nav"]
    toc: list = []
    for entry in book.sections():
        pages = [entry] if isinstance(entry, bk.Page) else entry.pages
        chapters = []
        for page in pages:
            item = epub.EpubHtml(uid=page.key, file_name=f"{page.key}.xhtml", title=page.title, lang=lang)
            role = ' epub:type="chapter" role="doc-chapter"' if not isinstance(entry, bk.Page) else ""
            item.content = f'<section id="{page.key}"{role}>{page.article.decode_contents()}</section>'
            item.add_item(css)
            out_book.add_item(item)
            chapters.append(item)
        if isinstance(entry, bk.Page):
            toc.append(epub.Link(chapters[0].file_name, entry.title, entry.key))
            spine += chapters
        else:
            opener = part_page(entry, css, lang)
            out_book.add_item(opener)
            toc.append((epub.Section(entry.title, opener.file_name),
                        [epub.Link(c.file_name, c.title, c.id) for c in chapters]))
            spine += [opener, *chapters]
    closing = abbreviations_page(book, css, lang)
    if closing is not None:
        out_book.add_item(closing)
        toc.append(epub.Link(closing.file_name, "Abbreviations", "page-abbreviations"))
        spine.append(closing)

    problems = list(book.problems)
    for path, name in images.items():
        if not path.is_file():
            problems.append(f"image {path} not found")
            continue
        out_book.add_item(epub.EpubImage(uid=Path(name).stem, file_name=name,
                                         media_type="image/svg+xml" if path.suffix == ".svg" else "",
                                         content=path.read_bytes()))
    out_book.toc = toc
    out_book.spine = spine
    first = next(item for item in spine if isinstance(item, epub.EpubHtml) and item is not cover)
    out_book.guide = [{"type": "cover", "href": cover.file_name, "title": "Cover"},
                      {"type": "toc", "href": nav.file_name, "title": "Contents"},
                      {"type": "text", "href": first.file_name, "title": first.title}]
    out_book.add_item(epub.EpubNcx())

    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_suffix(".epub.part")  # the site never publishes a half-written EPUB
    mtime = datetime.datetime.combine(edition, datetime.time(), datetime.UTC)
    writer = Writer(str(partial), out_book, {"mtime": mtime, "epub3_pages": False, "compresslevel": 9,
                                             "raise_exceptions": True})
    writer.process()
    writer.write()
    partial.replace(out)
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "download" / "handbook.epub")
    parser.add_argument("--site", type=Path, help="an already built site (default: build one)")
    parser.add_argument("--config", type=Path, default=ROOT / "mkdocs.yml")
    args = parser.parse_args()
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site.resolve() if args.site else Path(tmp) / "site"
        if not args.site:
            build_site(args.config, site)
        site_seconds = time.perf_counter() - start
        problems = make_epub(args.config, site, args.out, bk.edition_date())
    for problem in problems:
        print(f"warning: {problem}", file=sys.stderr)
    print(f"{args.out} ({args.out.stat().st_size / 1e6:.2f} MB) in {time.perf_counter() - start:.1f} s "
          f"(site {site_seconds:.1f} s, EPUB {time.perf_counter() - start - site_seconds:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
