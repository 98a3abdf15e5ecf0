"""Check a built site: internal links and anchors resolve, nothing loads from another host.

Usage: python scripts/check_site.py SITE_DIR [BASE_PATH]   (BASE_PATH: e.g. /handbook/)
Prints 'page.html: problem' lines and exits 1 when there are any.
Links in Markdown are also checked with source line numbers by `mkdocs build
--strict` (validation block in mkdocs.yml); this check covers the whole built
HTML, theme and navigation included.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit

from bs4 import BeautifulSoup

from report import emit

# Attributes that make the browser fetch something (not plain navigation links).
LOADS = {"script": "src", "img": "src", "iframe": "src", "source": "src", "audio": "src",
         "video": "src", "embed": "src", "object": "data", "track": "src", "input": "src"}
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)|@import\s+['\"]([^'\"]+)['\"]")


def is_external(url: str) -> bool:
    """True for URLs that reach another host (http(s), protocol-relative)."""
    return bool(urlsplit(url).netloc) or url.startswith("//")


def page_ids(html_file: Path, cache: dict[Path, set[str]]) -> set[str]:
    """All id and name attributes of a page (anchor targets)."""
    if html_file not in cache:
        soup = BeautifulSoup(html_file.read_text(encoding="utf-8"), "html.parser")
        cache[html_file] = {t["id"] for t in soup.find_all(id=True)} | {
            t["name"] for t in soup.find_all("a", attrs={"name": True})}
    return cache[html_file]


def resolve(site: Path, page: Path, href: str, base: str = "/") -> Path | None:
    """The file an internal href points to, or None; root-relative paths start at `base`."""
    path = unquote(urlsplit(href).path)
    if path.startswith("/") and not path.startswith(base):
        return None
    target = (site / path[len(base):]) if path.startswith("/") else (page.parent / path)
    target = target.resolve()
    if target.is_dir():
        target = target / "index.html"
    return target if target.is_file() else None


def check_page(site: Path, page: Path, cache: dict[Path, set[str]], base: str = "/") -> list[str]:
    """Problems on one built page."""
    rel = page.relative_to(site)
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    problems = []
    for tag, attr in LOADS.items():
        for el in soup.find_all(tag, attrs={attr: True}):
            if is_external(el[attr]):
                problems.append(f"{rel}: <{tag}> loads from another host: {el[attr]}")
    for el in soup.find_all("link", href=True):
        rels = set(el.get("rel") or [])
        if rels & {"stylesheet", "preload", "preconnect", "icon", "modulepreload",
                   "dns-prefetch", "prefetch", "manifest"} and is_external(el["href"]):
            problems.append(f"{rel}: <link rel={' '.join(rels)}> reaches another host: {el['href']}")
    for el in soup.find_all(style=True):
        problems += [f"{rel}: inline style loads from another host: {u}"
                     for m in CSS_URL.finditer(el["style"]) for u in m.groups() if u and is_external(u)]
    for el in soup.find_all("style"):
        problems += [f"{rel}: <style> loads from another host: {u}"
                     for m in CSS_URL.finditer(el.get_text()) for u in m.groups() if u and is_external(u)]
    for el in soup.find_all("a", href=True):
        href = el["href"]
        if is_external(href) or href.startswith(("mailto:", "tel:", "javascript:")):
            continue
        url, frag = urldefrag(href)
        target = resolve(site, page, url, base) if url else page
        if target is None:
            problems.append(f"{rel}: broken link '{href}'")
        elif frag and target.suffix == ".html" and unquote(frag) not in page_ids(target, cache):
            problems.append(f"{rel}: link '{href}' points to a missing anchor '#{frag}'")
    return problems


def check_css(site: Path) -> list[str]:
    """Stylesheets that import fonts or images from another host."""
    return [f"{css.relative_to(site)}: stylesheet loads from another host: {u}"
            for css in sorted(site.rglob("*.css"))
            for m in CSS_URL.finditer(css.read_text(encoding="utf-8", errors="replace"))
            for u in m.groups() if u and is_external(u)]


def check_site(site: Path, base: str = "/") -> list[str]:
    """Every problem in a built site served under the path `base` (from site_url)."""
    cache: dict[Path, set[str]] = {}
    problems = []
    for page in sorted(site.rglob("*.html")):
        problems += check_page(site, page, cache, base)
    return problems + check_css(site)


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    site = Path(args[0] if args else "site")
    problems = check_site(site, args[1] if len(args) > 1 else "/")
    return emit(problems, "Built site")


if __name__ == "__main__":
    sys.exit(main())
