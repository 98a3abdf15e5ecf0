"""Find unsafe or off-site HTML in what a reader's browser gets; print file:line: problem.

Regexes over Markdown lines miss real inputs (an `<img ... onerror=...>` split over two
lines, an `onclick` added with attr_list's `{ }`) and flag harmless ones (a `<script>`
shown inside a code block). So this check looks at HTML as a browser would:

- every Markdown page is rendered with the site's own Markdown extensions (read from
  mkdocs.yml: snippets, attr_list, md_in_html, ...) and the result is parsed with an
  HTML parser;
- in a built site, each page's article (the part that comes from Markdown) is parsed
  the same way, and a finding is reported against the Markdown file it came from;
- SVG diagrams are parsed as XML.

In content, these are refused: <script>, <style>, <iframe>, <frame>, <object>,
<embed>, <applet>, <form> and its controls, <base>, <meta>, <link>; any event-handler
attribute (on...); javascript:, vbscript: and data: URLs; resources (img, audio,
video, source, track, poster, srcset, CSS url()) loaded from another host. Links to
other sites (<a href="https://...">) are fine. The finding's line is the first line
of the Markdown source that holds the offending tag, attribute or address.

Usage: python scripts/check_html.py [FILES or DIRS ...]        (default: docs/ and the diagrams)
       python scripts/check_html.py --site SITE_DIR [--docs DOCS_DIR]
"""
from __future__ import annotations

import argparse
import re
import sys
import xml.parsers.expat
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, Tag

from check_markdown import FENCE, ROOT, split_front_matter
from report import emit

FORBIDDEN_TAGS = {"script", "style", "iframe", "frame", "frameset", "object", "embed", "applet",
                  "form", "button", "select", "textarea", "base", "meta", "link", "noscript",
                  "portal", "foreignobject", "image", "use", "animate", "set"}
# In SVG, <use> and <animate>/<set> are fine when they stay inside the file; checked by URL below.
SVG_ALLOWED = {"use", "animate", "set"}
URL_ATTRS = {"href", "src", "srcset", "action", "formaction", "poster", "data", "background",
             "cite", "longdesc", "ping", "xlink:href", "lowsrc", "dynsrc", "manifest"}
RESOURCE_ATTRS = {"src", "srcset", "poster", "data", "background", "lowsrc", "dynsrc"}
BAD_SCHEME = re.compile(r"^\s*(javascript|vbscript|data)\s*:", re.I)
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]*)|@import|expression\s*\(", re.I)


def _offsite(url: str) -> bool:
    url = url.strip()
    return url.startswith("//") or bool(urlsplit(url).scheme and urlsplit(url).netloc)


def _urls(attr: str, value: str) -> list[str]:
    """The URLs in one attribute value (srcset holds several)."""
    if attr == "srcset":
        return [part.strip().split()[0] for part in value.split(",") if part.strip()]
    return [value]


def element_problems(tag_name: str, attrs: dict[str, str], *, svg: bool = False) -> list[tuple[str, str]]:
    """(message, needle) for one element: what is wrong, and a string to find its source line."""
    found = []
    name = tag_name.lower()
    if name in FORBIDDEN_TAGS and not (svg and name in SVG_ALLOWED):
        found.append((f"<{name}> element is not allowed", f"<{tag_name}"))
    for attr, value in attrs.items():
        attr_l = attr.lower()
        value = value if isinstance(value, str) else " ".join(value)
        if attr_l.startswith("on"):
            found.append((f"event-handler attribute {attr_l}= is not allowed", attr))
            continue
        if attr_l == "style" and CSS_URL.search(value):
            found.append(("style attribute loads a resource (url(), @import or expression())", "url("))
            continue
        if attr_l not in URL_ATTRS:
            continue
        for url in _urls(attr_l, value):
            scheme = BAD_SCHEME.match(url)
            if scheme:
                found.append((f"{scheme.group(1).lower()}: URL in {attr_l}= is not allowed",
                               f"{scheme.group(1)}:"))
            elif svg and not url.strip().startswith("#"):
                found.append((f"{attr_l}= points outside the file: {url[:80]}", url[:40]))
            elif attr_l in RESOURCE_ATTRS and _offsite(url):
                found.append((f"<{name}> loads a resource from another host: {url[:80]}", url[:40]))
    return found


def html_problems(html: str) -> list[tuple[str, str]]:
    """(message, needle) for every unsafe element or attribute in an HTML fragment."""
    soup = BeautifulSoup(html, "html.parser")
    return [p for el in soup.find_all(True) for p in element_problems(el.name, el.attrs)]


def svg_problems(text: str) -> list[tuple[int, str]]:
    """(line, message) for every unsafe element or attribute in an SVG file."""
    found: list[tuple[int, str]] = []
    parser = xml.parsers.expat.ParserCreate()

    def start(name: str, attrs: dict[str, str]) -> None:
        local = name.rsplit(":", 1)[-1] if not name.startswith("xlink") else name
        local = local.split("}")[-1]
        attrs = {("xlink:href" if k.endswith("href") and "xlink" in k else k.split("}")[-1]): v
                 for k, v in attrs.items()}
        for message, _ in element_problems(local, attrs, svg=True):
            found.append((parser.CurrentLineNumber, message))

    parser.StartElementHandler = start
    try:
        parser.Parse(text, True)
    except xml.parsers.expat.ExpatError as error:
        found.append((error.lineno, f"not well-formed XML: {error}"))
    return found


def source_line(text: str, needle: str) -> int:
    """First line of Markdown prose (outside code fences) that holds `needle`, else 1."""
    in_fence = False
    _, body = split_front_matter(text)
    lowered = needle.lower()
    for lineno, line in enumerate(text.splitlines(), 1):
        if FENCE.match(line):
            in_fence = not in_fence
            continue
        if lineno >= body and not in_fence and lowered in line.lower():
            return lineno
    return 1


@lru_cache(maxsize=1)
def markdown_renderer(config_file: Path = ROOT / "mkdocs.yml"):
    """A Markdown converter with the site's extensions and their settings."""
    import markdown
    from mkdocs.config import load_config

    sys.path.insert(0, str(config_file.parent / "hooks"))
    config = load_config(str(config_file))
    return markdown.Markdown(extensions=config["markdown_extensions"],
                             extension_configs=config["mdx_configs"])


def check_markdown_page(path: Path, config_file: Path = ROOT / "mkdocs.yml") -> list[str]:
    """Problems in one Markdown page, rendered as the site renders it."""
    text = path.read_text(encoding="utf-8")
    _, body = split_front_matter(text)
    md = markdown_renderer(config_file)
    md.reset()
    html = md.convert("\n".join(text.splitlines()[body - 1:]))
    return [f"{path}:{source_line(text, needle)}: {message}" for message, needle in html_problems(html)]


def check_svg(path: Path) -> list[str]:
    """Problems in one SVG file, with the line of the offending element."""
    return [f"{path}:{line}: {message}" for line, message in svg_problems(path.read_text(encoding="utf-8"))]


EDIT_LINK = re.compile(r"/edit/[^/]+/docs/(.+\.md)$")


def source_of(page: Path, site: Path, docs: Path) -> Path | None:
    """The Markdown file a built page came from: its edit link, else its URL."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    for link in soup.find_all("a", href=True):
        match = EDIT_LINK.search(link["href"])
        if match and (docs / match.group(1)).is_file():
            return docs / match.group(1)
    rel = page.relative_to(site).with_suffix("")
    stem = rel.parent if rel.name == "index" else rel
    for candidate in (docs / stem / "index.md", docs / f"{stem}.md", docs / stem / "README.md"):
        if candidate.is_file():
            return candidate
    return None


# Pages the theme renders from a template of ours, not from Markdown: overrides/404.html
# holds a search form (GET, to the site itself) on purpose. Templates are reviewed code.
TEMPLATE_PAGES = {"404.html"}


def check_built_site(site: Path, docs: Path = ROOT / "docs") -> list[str]:
    """Problems in the article of every built page, reported against its Markdown source."""
    problems = []
    for page in sorted(site.rglob("*.html")):
        if page.relative_to(site).as_posix() in TEMPLATE_PAGES:
            continue
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        article = soup.select_one("article.md-content__inner") or soup.find("article")
        if not isinstance(article, Tag):
            continue
        found = [p for el in article.find_all(True) for p in element_problems(el.name, el.attrs)]
        if not found:
            continue
        source = source_of(page, site, docs)
        text = source.read_text(encoding="utf-8") if source else ""
        for message, needle in found:
            where = f"{source}:{source_line(text, needle)}" if source else f"{page.relative_to(site)}:1"
            problems.append(f"{where}: {message} (in the built page {page.relative_to(site).as_posix()})")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--site", type=Path, help="check a built site instead of the Markdown")
    parser.add_argument("--docs", type=Path, default=ROOT / "docs")
    args = parser.parse_args(argv)
    if args.site:
        return emit(check_built_site(args.site, args.docs), "Unsafe HTML")
    files: list[Path] = []
    for path in args.paths or [ROOT / "docs"]:
        files.extend(sorted(path.rglob("*.md")) + sorted(path.rglob("*.svg")) if path.is_dir() else [path])
    problems = [p for f in files for p in (check_svg(f) if f.suffix == ".svg" else check_markdown_page(f))]
    return emit(problems, "Unsafe HTML")


if __name__ == "__main__":
    sys.exit(main())
