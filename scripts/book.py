"""The handbook as a book: the built site's pages in nav order, ready for the PDF and the EPUB.

Not a script: scripts/build_pdf.py and scripts/build_epub.py both call load_book(), so
the two editions are made from one reading of the same built HTML (no second copy of
the content). load_book() takes each nav page's article from the built site, leaves
out site-only pages (templates/book.yml), removes web chrome and `.web-only` content,
keeps `.book-only` content, prefixes every id with its page's key so ids are unique in
the whole book, and points every link inside the book (or at the online site when its
target is not in the book). What differs between the editions (footnotes at the page
bottom or as pop-up notes, page numbers, one file or one file per chapter) is left to
each builder.

Content convention (docs/contributing/style-guide.md): a paragraph or list item with
`{ .web-only }` is on the site only; one with `{ .book-only }` is in the PDF and EPUB
only. Use them when a sentence needs a screen ("hover over", "press the / key").
"""
from __future__ import annotations

import datetime
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import yaml
from bs4 import BeautifulSoup, Comment, Tag

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "templates" / "book.yml"
PART = re.compile(r"^(Part \w+): (.+)$")  # "Part 1: The role" -> ("Part 1", "The role")
UNSAFE_ID = re.compile(r"[^A-Za-z0-9_.-]")  # XHTML ids: no colons (fn:1) or spaces
# Wording that needs a screen, mouse or keyboard. The book must not print it: mark the
# sentence's paragraph { .web-only } and give a { .book-only } variant, or reword it.
WEB_ONLY_WORDING = re.compile(
    r"\b(?:hover(?:ing)? over|click(?:ing)? (?:on|the|here)|(?:press|type) the [\w/() ]{0,20}key|slash key"
    r"|pencil icon|search box|(?:the )?box at the top|at the top (?:right|left)|select (?:a|the) diagram"
    r"|tap (?:on|the)|scroll (?:down|up))\b", re.I)
# Site furniture that is no part of the text (Material, glightbox, our own buttons).
CHROME = (".headerlink, .md-content__button, .md-source-file, .md-button, .hb-downloads, .md-feedback,"
          " .md-clipboard, .md-annotation__index, script, style, form, noscript")


class LenientLoader(yaml.SafeLoader):
    """YAML loader that reads tagged values (!ENV, !relative, !!python/name) as None."""


LenientLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def load_config(config_file: Path) -> dict:
    """mkdocs.yml as a dict (tagged values read as None)."""
    return yaml.load(config_file.read_text(encoding="utf-8"), Loader=LenientLoader) or {}


def date_text(config: dict, when) -> str:
    """A date in the site's one format, extra.date_format ("24 November 2026")."""
    return when.strftime((config.get("extra") or {}).get("date_format") or "%-d %B %Y")


def load_rules(rules_file: Path = RULES) -> dict:
    """templates/book.yml: leave_out and lookup lists."""
    rules = yaml.safe_load(rules_file.read_text(encoding="utf-8")) or {}
    return {"leave_out": list(rules.get("leave_out") or []), "lookup": list(rules.get("lookup") or [])}


@dataclass
class Page:
    """One Markdown page of the nav, as it goes into the book."""
    src: str                      # docs-relative path, e.g. role/index.md
    section: str = ""             # title of its nav section ("" at top level)
    title: str = ""
    article: Tag | None = None
    ids: dict[str, str] = field(default_factory=dict)  # the site's id -> the book's id
    file: Path | None = None      # the built HTML it came from

    @property
    def key(self) -> str:
        """Its anchor in the book, the prefix of its ids, and its EPUB file name."""
        return "page-" + UNSAFE_ID.sub("-", self.src.removesuffix(".md").replace("/", "-"))

    @property
    def url(self) -> str:
        """Its directory URL in the built site: '', 'role/', 'role/lifecycle/'."""
        stem = self.src.removesuffix(".md")
        stem = "" if stem in ("index", "README") else stem.removesuffix("/index").removesuffix("/README")
        return f"{stem}/" if stem else ""


@dataclass
class Section:
    """A nav section in the book: a part ("Part 1", "The role") or an appendix ("Appendix A", "Templates")."""
    title: str                    # the nav title, e.g. "Part 1: The role"
    label: str
    name: str
    pages: list[Page]

    @property
    def key(self) -> str:
        return "part-" + self.pages[0].key.removeprefix("page-")


@dataclass
class Note:
    """A footnote of one page, numbered in the order of its first call."""
    id: str
    number: int
    body: Tag                     # the <li> of Python-Markdown's footnote list
    calls: list[Tag]              # the <sup> elements that call it, in reading order


@dataclass
class Book:
    config: dict
    pages: list[Page]             # every page in the book, in reading order
    problems: list[str]

    @property
    def title(self) -> str:
        return self.config.get("site_name") or ""

    def sections(self) -> list[Section | Page]:
        """The book's top level: pages outside any section, and sections with their pages."""
        out: list[Section | Page] = []
        appendix = 0
        for page in self.pages:
            if not page.section:
                out.append(page)
            elif out and isinstance(out[-1], Section) and out[-1].title == page.section:
                out[-1].pages.append(page)
            else:
                match = PART.match(page.section)
                if match:
                    label, name = match.groups()
                else:
                    appendix += 1
                    label, name = f"Appendix {chr(64 + appendix)}", page.section
                out.append(Section(page.section, label, name, [page]))
        return out

    def page_of(self) -> dict[str, Page]:
        """Every id in the book -> the page that holds it."""
        return {new: page for page in self.pages for new in [page.key, *page.ids.values()]}


def read_nav(items: list, section: str = "") -> list[Page]:
    """Every Markdown page of an mkdocs nav, in reading order, with its section title."""
    pages = []
    for item in items or []:
        title, value = next(iter(item.items())) if isinstance(item, dict) else (None, item)
        if isinstance(value, list):
            pages += read_nav(value, section or title)
        elif isinstance(value, str) and value.endswith(".md") and "://" not in value:
            pages.append(Page(value, section))
    return pages


def left_out(src: str, rules: dict) -> bool:
    """True when a docs-relative page is site-only (a leave_out folder or page)."""
    return any(src == rule or (rule.endswith("/") and src.startswith(rule)) for rule in rules["leave_out"])


def stale_rules(pages: list[Page], rules: dict) -> list[str]:
    """Rules of templates/book.yml that match no page of the nav (renamed or removed pages)."""
    srcs = [page.src for page in pages]
    return [f"{RULES.relative_to(ROOT)}: {kind} entry {rule!r} matches no page of the nav"
            for kind in ("leave_out", "lookup") for rule in rules[kind]
            if not any(left_out(src, {"leave_out": [rule]}) for src in srcs)]


def tidy(article: Tag, soup: BeautifulSoup) -> None:
    """Make web-only markup printable: all tabs shown, details open, no lightbox links, no chrome."""
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
    for junk in article.select(CHROME):
        junk.decompose()


def choose_variants(article: Tag) -> None:
    """Drop `.web-only` content; keep `.book-only` content (the site hides it)."""
    for tag in article.select(".web-only"):
        tag.decompose()
    for tag in article.select(".book-only"):
        tag["class"] = [c for c in tag["class"] if c != "book-only"]
        if not tag["class"]:
            del tag["class"]


def wrap_sheets(article: Tag, soup: BeautifulSoup) -> None:
    """Wrap each reader template's fill-in part (<!-- template:start/end -->) in div.template-sheet.

    A heading right before the start marker ("The sheet") goes into the sheet with it.
    """
    for start in article.find_all(string=lambda s: isinstance(s, Comment) and s.strip() == "template:start"):
        sheet = soup.new_tag("div", attrs={"class": "template-sheet"})
        heading = start.find_previous_sibling(True)
        if heading is not None and heading.name in ("h2", "h3", "h4"):
            sheet.append(heading.extract())
        node = start.next_sibling
        while node is not None and not (isinstance(node, Comment) and node.strip() == "template:end"):
            following = node.next_sibling
            sheet.append(node.extract())
            node = following
        start.replace_with(sheet)
        if node is not None:
            node.extract()


def load(page: Page, site: Path) -> list[str]:
    """Read a built page: its article, title and ids (then prefixed with its key); return problems."""
    file = site / page.url / "index.html"
    if not file.is_file():
        return [f"{page.src}: in the nav but not built; left out"]
    page.file = file
    soup = BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")
    page.article = soup.select_one("article.md-content__inner") or soup.new_tag("article")
    tidy(page.article, soup)
    choose_variants(page.article)
    wrap_sheets(page.article, soup)
    h1 = page.article.find("h1")
    page.title = h1.get_text(" ", strip=True) if h1 else page.src
    for tag in page.article.find_all(id=True):
        new = f"{page.key}--{UNSAFE_ID.sub('-', tag['id'])}"
        page.ids[tag["id"]] = new
        tag["id"] = new
    problems = []
    for img in page.article.find_all("img", src=True):
        if not urlsplit(img["src"]).scheme:
            path = (file.parent / unquote(img["src"])).resolve()
            if not path.is_file():
                problems.append(f"{page.src}: image {img['src']} not found")
            img["src"] = path.as_uri()
    return problems


def relink(page: Page, by_url: dict[str, Page], site_url: str) -> int:
    """Point the page's links inside the book (#id) or online; return how many missed their anchor."""
    missed = 0
    for link in page.article.find_all("a", href=True):
        parts = urlsplit(link["href"])
        if parts.scheme or parts.netloc:
            continue
        path = urljoin("/" + page.url, parts.path).lstrip("/").removesuffix("index.html")
        target = by_url.get(path) if parts.path else page
        if target is None:  # a site-only page or a file of the site: link to it online
            link["href"] = urljoin(site_url, path) + (f"#{parts.fragment}" if parts.fragment else "")
            continue
        fragment = unquote(parts.fragment)
        if fragment and fragment not in target.ids:
            missed += 1
            fragment = ""
        link["href"] = f"#{target.ids[fragment]}" if fragment else f"#{target.key}"
    return missed


def notes(page: Page) -> list[Note]:
    """The page's footnotes in the order of their first call, renumbered 1, 2, 3..., backlinks removed.

    Python-Markdown numbers notes in the order they are defined; a book numbers them
    in reading order. The site's <div class="footnote"> stays in the article; each
    builder moves the bodies where its readers expect them.
    """
    bodies = {li["id"]: li for li in page.article.select(".footnote li[id]")}
    found: dict[str, Note] = {}
    for call in page.article.select("sup a.footnote-ref[href^='#']"):
        target = call["href"][1:]
        if target not in bodies:
            continue
        note = found.setdefault(target, Note(target, len(found) + 1, bodies[target], []))
        note.calls.append(call.parent)
        call.string = str(note.number)
    for note in found.values():
        for back in note.body.select("a.footnote-backref"):
            back.decompose()
        for text in note.body.find_all(string=True):  # the &nbsp; before the removed arrows
            if text.endswith("\xa0"):
                text.replace_with(text.rstrip("\xa0"))
    return list(found.values())


def abbreviations(pages: list[Page]) -> dict[str, str]:
    """Every abbreviation used in the book and what it stands for, sorted."""
    found = {a.get_text(strip=True): a["title"] for p in pages for a in p.article.find_all("abbr", title=True)}
    return dict(sorted(found.items(), key=lambda item: item[0].lower()))


def web_only_wording(text: str) -> list[str]:
    """Phrases of `text` that only make sense on a screen (each with a little context)."""
    return [text[max(m.start() - 30, 0):m.end() + 30].replace("\n", " ") for m in WEB_ONLY_WORDING.finditer(text)]


def edition_date() -> datetime.date:
    """SOURCE_DATE_EPOCH when set (reproducible builds), else today."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return datetime.datetime.fromtimestamp(int(epoch), datetime.UTC).date() if epoch else datetime.date.today()


def load_book(config_file: Path, site: Path, rules_file: Path = RULES) -> Book:
    """Every page of the book from a built site, cleaned, with ids prefixed and links pointed."""
    config = load_config(config_file)
    rules = load_rules(rules_file)
    nav = read_nav(config.get("nav"))
    problems = stale_rules(nav, rules)
    pages = [page for page in nav if not left_out(page.src, rules)]
    problems += [problem for page in pages for problem in load(page, site)]
    pages = [page for page in pages if page.article is not None]
    by_url = {page.url: page for page in pages}
    missed = sum(relink(page, by_url, config.get("site_url") or "") for page in pages)
    if missed:
        problems.append(f"{missed} links pointed at a missing anchor; they go to the top of their page")
    return Book(config, pages, problems)


def is_lookup(page: Page, rules: dict) -> bool:
    """True for a page readers look things up in (templates/book.yml: lookup)."""
    return page.src in rules["lookup"]
