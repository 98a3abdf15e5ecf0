"""Build the whole handbook as one book-quality PDF with WeasyPrint.

Builds the site into a temporary folder (or reads --site), takes each page's
article in nav order, prefixes its ids, points its links inside the book, and
prints cover + contents + parts + pages with templates/pdf/book.css.

Usage: python scripts/build_pdf.py [--out build/download/handbook.pdf]
       [--paper a4|letter] [--site SITE_DIR] [--html BOOK.html] [--config mkdocs.yml]
PAPER=letter in the environment (or `make pdf PAPER=letter`) selects US Letter.
"""
from __future__ import annotations

import argparse
import datetime
import html
import os
import re
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from string import Template
from urllib.parse import unquote, urljoin, urlsplit

import yaml
from bs4 import BeautifulSoup, Tag
from pygments.formatters import HtmlFormatter

from site_build import build_site

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates" / "pdf"
PART_LABEL = re.compile(r"^(Part|Appendix) \w+: ")  # "Part 1: The role" -> label + title
PAPERS = {"a4": ("A4", "297mm"), "letter": ("letter", "11in")}


class LenientLoader(yaml.SafeLoader):
    """YAML loader that reads tagged values (!ENV, !relative, !!python/name) as None."""


LenientLoader.add_multi_constructor("", lambda loader, suffix, node: None)


@dataclass
class Page:
    """One Markdown page of the nav, as it goes into the book."""
    src: str                      # docs-relative path, e.g. role/index.md
    part: str = ""                # title of its nav section ("" at top level)
    title: str = ""
    article: Tag | None = None
    ids: set[str] = field(default_factory=set)

    @property
    def key(self) -> str:
        """Its anchor in the book, also the prefix of its ids."""
        return "page-" + self.src.removesuffix(".md").replace("/", "-")

    @property
    def url(self) -> str:
        """Its directory URL in the built site: '', 'role/', 'role/lifecycle/'."""
        stem = self.src.removesuffix(".md")
        stem = "" if stem in ("index", "README") else stem.removesuffix("/index").removesuffix("/README")
        return f"{stem}/" if stem else ""


def read_nav(items: list, part: str = "") -> list[Page]:
    """Every Markdown page of an mkdocs nav, in reading order, with its section title."""
    pages = []
    for item in items or []:
        title, value = next(iter(item.items())) if isinstance(item, dict) else (None, item)
        if isinstance(value, list):
            pages += read_nav(value, part or title)
        elif isinstance(value, str) and value.endswith(".md") and "://" not in value:
            pages.append(Page(value, part))
    return pages


def tidy(article: Tag, soup: BeautifulSoup) -> None:
    """Make web-only markup printable: all tabs shown, details open, no lightbox links."""
    for tabs in article.select(".tabbed-set"):
        labels = [label.get_text(" ", strip=True) for label in tabs.select(".tabbed-labels > label")]
        for label, block in zip(labels, tabs.select(".tabbed-content > .tabbed-block"), strict=False):
            title = soup.new_tag("p", attrs={"class": "tabbed-title"})
            title.string = label
            block.insert(0, title)
        for junk in tabs.select(":scope > input, .tabbed-labels"):
            junk.decompose()
    for details in article.find_all("details"):
        details["open"] = ""
    for link in article.select("a.glightbox"):
        link.unwrap()
    for control in article.select(".task-list-control"):
        if control.find("input", checked=True):
            control["data-checked"] = ""
    for junk in article.select(".headerlink, .md-content__button, .md-source-file, script, form"):
        junk.decompose()


def load(page: Page, site: Path) -> list[str]:
    """Read a built page: its article, title and ids (then prefixed with its key); return problems."""
    file = site / page.url / "index.html"
    if not file.is_file():
        return [f"{page.src}: in the nav but not built; left out"]
    soup = BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")
    page.article = soup.select_one("article.md-content__inner") or soup.new_tag("article")
    tidy(page.article, soup)
    h1 = page.article.find("h1")
    page.title = h1.get_text(" ", strip=True) if h1 else page.src
    for tag in page.article.find_all(id=True):
        page.ids.add(tag["id"])
        tag["id"] = f"{page.key}--{tag['id']}"
    problems = []
    for img in page.article.find_all("img", src=True):
        if not urlsplit(img["src"]).scheme:
            path = (file.parent / unquote(img["src"])).resolve()
            if not path.is_file():
                problems.append(f"{page.src}: image {img['src']} not found")
            img["src"] = path.as_uri()
    return problems


def relink(page: Page, by_url: dict[str, Page], site_url: str) -> int:
    """Point the page's links inside the book; return how many missed their anchor."""
    missed = 0
    for link in page.article.find_all("a", href=True):
        parts = urlsplit(link["href"])
        if parts.scheme or parts.netloc:
            continue
        path = urljoin("/" + page.url, parts.path).lstrip("/").removesuffix("index.html")
        target = by_url.get(path) if parts.path else page
        if target is None:  # a file of the site that is not a page: link to it online
            link["href"] = urljoin(site_url, path) + (f"#{parts.fragment}" if parts.fragment else "")
            continue
        fragment = unquote(parts.fragment)
        if fragment and fragment not in target.ids:
            missed += 1
            fragment = ""
        link["href"] = f"#{target.key}--{fragment}" if fragment else f"#{target.key}"
    return missed


def abbreviations(pages: list[Page], header: str) -> str:
    """A closing chapter that expands every abbreviation used in the book."""
    found = {a.get_text(strip=True): a["title"] for p in pages for a in p.article.find_all("abbr", title=True)}
    if not found:
        return ""
    rows = "".join(f"<dt>{html.escape(k)}</dt><dd>{html.escape(v)}</dd>" for k, v in sorted(found.items()))
    return (f'<section class="chapter" id="page-abbreviations" data-part="{html.escape(header)}"'
            ' data-title="Abbreviations">'
            f'<h1>Abbreviations</h1><dl class="abbreviations">{rows}</dl></section>')


def assemble(pages: list[Page], config: dict, edition: datetime.date) -> str:
    """The whole book as one HTML document."""
    toc, body, part = [], [], None
    for page in pages:
        if page.part and page.part != part:
            part_id = f"part-{page.key.removeprefix('page-')}"
            members = [p for p in pages if p.part == page.part]
            items = "".join(f'<li><a href="#{p.key}">{html.escape(p.title)}</a></li>' for p in members)
            toc.append(f'<li class="toc-part"><a href="#{part_id}">{html.escape(page.part)}</a><ol>{items}</ol></li>')
            label, _, title = page.part.partition(": ") if PART_LABEL.match(page.part) else ("", "", page.part)
            name = html.escape(page.part)
            body.append(f'<section class="part" id="{part_id}" data-title="{name}">'
                        f'<p class="part-label">{html.escape(label)}</p>'
                        f'<h1 class="part-title" data-title="{name}">{html.escape(title)}</h1>'
                        f'<ol class="part-contents">{items}</ol></section>')
        elif not page.part:
            toc.append(f'<li><a href="#{page.key}">{html.escape(page.title)}</a></li>')
        part = page.part
        css_class = "chapter in-part" if page.part else "chapter"
        header = page.part or ("" if page.title == config["site_name"] else config["site_name"])
        body.append(f'<section class="{css_class}" id="{page.key}" data-part="{html.escape(header)}"'
                    f' data-title="{html.escape(page.title)}">{page.article.decode_contents()}</section>')
    closing = abbreviations(pages, config["site_name"])
    if closing:
        toc.append('<li><a href="#page-abbreviations">Abbreviations</a></li>')
        body.append(closing)
    fields = {
        "lang": "en", "title": config["site_name"], "author": config.get("site_author") or "",
        "description": " ".join((config.get("site_description") or "").split()),
        "created": edition.isoformat(), "edition": f"{edition:%-d %B %Y}",
        "site_url": config.get("site_url") or "", "licence": " ".join((config.get("copyright") or "").split()),
    }
    fields = {k: html.escape(v) for k, v in fields.items()}
    template = Template((TEMPLATES / "book.html").read_text(encoding="utf-8"))
    return template.substitute(fields, toc="\n".join(toc), body="\n".join(body))


def render(book_html: str, out: Path, paper: str, base: Path) -> None:
    """Print the book with WeasyPrint, fetching local files only (never the network)."""
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    size, height = PAPERS[paper]
    fetcher = URLFetcher(allowed_protocols={"file", "data"})
    styles = [CSS(filename=str(TEMPLATES / "book.css"), url_fetcher=fetcher),
              CSS(string=HtmlFormatter().get_style_defs(".highlight")),
              CSS(string=f"@page {{ size: {size}; }} .cover {{ height: {height}; }}")]
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_suffix(".pdf.part")  # the site never publishes a half-written PDF
    HTML(string=book_html, base_url=base.as_uri() + "/", url_fetcher=fetcher).write_pdf(partial, stylesheets=styles)
    partial.replace(out)


def edition_date() -> datetime.date:
    """SOURCE_DATE_EPOCH when set (reproducible builds), else today."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return datetime.datetime.fromtimestamp(int(epoch), datetime.UTC).date() if epoch else datetime.date.today()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "download" / "handbook.pdf")
    parser.add_argument("--paper", choices=PAPERS, default=os.environ.get("PAPER", "a4").lower() or "a4")
    parser.add_argument("--site", type=Path, help="an already built site (default: build one)")
    parser.add_argument("--html", type=Path, help="also write the book HTML here")
    parser.add_argument("--config", type=Path, default=ROOT / "mkdocs.yml")
    args = parser.parse_args()
    start = time.perf_counter()
    config = yaml.load(args.config.read_text(encoding="utf-8"), Loader=LenientLoader)
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site.resolve() if args.site else Path(tmp) / "site"
        if not args.site:
            build_site(args.config, site)
        pages = read_nav(config.get("nav"))
        problems = [problem for page in pages for problem in load(page, site)]
        pages = [page for page in pages if page.article is not None]
        by_url = {page.url: page for page in pages}
        missed = sum(relink(page, by_url, config.get("site_url") or "") for page in pages)
        book = assemble(pages, config, edition_date())
        if args.html:
            args.html.parent.mkdir(parents=True, exist_ok=True)
            args.html.write_text(book, encoding="utf-8")
        render(book, args.out, args.paper, site)
    if missed:
        problems.append(f"{missed} links pointed at a missing anchor; they go to the top of their page")
    for problem in problems:
        print(f"warning: {problem}", file=sys.stderr)
    print(f"{args.out} ({args.paper}, {len(pages)} pages of the site) in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
