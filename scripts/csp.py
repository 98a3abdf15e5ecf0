"""Fill the Content-Security-Policy of a built site with the hashes of its inline code.

Runs after the build, over the built HTML, so the policy is filled whatever engine built
the pages (MkDocs + Material via hooks/csp_after_build.py, Zensical via `make zensical`).

overrides/main.html puts a `<meta http-equiv="Content-Security-Policy">` in every page,
whose script-src and style-src allow only 'self'. The theme (Material's __md_scope
helpers and palette restorers, the same in Zensical) and mkdocs-glightbox need a few
inline scripts and styles. This script reads every HTML page that carries the policy,
hashes each inline script and <style> exactly as the browser will (sha256 of its text),
and appends the hashes to script-src and style-src. Hashes are never kept by hand, so
they never go stale when the theme, a plugin or base_url changes. Style attributes (a
table's column alignment) are allowed by style-src-attr.

Every page gets the same list, the union over the site: with instant navigation the
theme fetches the next page and runs its scripts under the policy of the first page.
The site is read in two streaming passes (hash every page, then write the union into
every page), one page in memory at a time, so memory does not grow with the site.

Two kinds of inline code are written by scripts at run time, so they are not in the HTML;
their hashes come from the script files the pages load:
- the vendored iframe-worker shim (offline build only) writes a bootstrap script,
  which embeds the page's search-worker URL, into a hidden iframe;
- Zensical's search dialog puts a <style> element, a string constant of its bundle,
  into a shadow root (`C("style",{},Name.toString())`).

`--serve` (used by hooks/csp_after_build.py under `mkdocs serve`, whose live-reload script changes
on every request) allows 'unsafe-inline' instead of hashes. Built sites never do.

Usage: python scripts/csp.py SITE_DIR [--serve]
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import json
import re
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

META_RE = re.compile(
    r'(<meta http-equiv="Content-Security-Policy" content=")([^"]*)(")', re.IGNORECASE)
# The HTML tokenizer ends a script element's text at the first "</script".
SCRIPT_RE = re.compile(r"<script\b([^>]*)>(.*?)</script", re.IGNORECASE | re.DOTALL)
STYLE_RE = re.compile(r"<style\b[^>]*>(.*?)</style", re.IGNORECASE | re.DOTALL)
SRC_RE = re.compile(r"""\ssrc\s*=""", re.IGNORECASE)
SRC_VALUE_RE = re.compile(r"""<script\b[^>]*\ssrc\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
TYPE_RE = re.compile(r"""\stype\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
# Script types the browser runs; anything else (application/json, ...) is a data block.
JS_TYPES = {"", "module", "text/javascript", "application/javascript", "text/ecmascript",
            "application/ecmascript", "text/jscript", "text/livescript"}

CONFIG_RE = re.compile(r'<script id="__config" type="application/json">(.*?)</script>', re.DOTALL)
SHIM_SRC_RE = re.compile(r'<script src="([^"]*iframe-worker[^"]*)"')
SHIM_TEMPLATE_RE = re.compile(r"document\.write\(`<html><body><script>(.*?)<\\/script>")
# A script that creates a <style> element from a named string constant.
DYNAMIC_STYLE_RE = re.compile(r'\(\s*"style"\s*,\s*\{\s*\}\s*,\s*([A-Za-z_$][\w$]*)(?:\.toString\(\))?\s*\)')
JS_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}


def script_hash(text: str) -> str:
    """The CSP source expression ('sha256-...') for an inline script's or style's text."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # what the parser hands the engine
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def inline_script_hashes(html: str) -> set[str]:
    """Hashes of every inline script in `html` that a browser would execute."""
    found = set()
    for attrs, text in SCRIPT_RE.findall(html):
        if SRC_RE.search(attrs):
            continue
        kind = TYPE_RE.search(attrs)
        if kind and kind.group(1).lower() not in JS_TYPES:
            continue
        found.add(script_hash(text))
    return found


def inline_style_hashes(html: str) -> set[str]:
    """Hashes of every inline <style> element in `html`."""
    return {script_hash(text) for text in STYLE_RE.findall(html)}


def _function_source(source: str, name: str) -> str:
    """The text of `function name(...){...}` in `source`, as Function.toString gives it."""
    match = re.search(rf"function {re.escape(name)}\(", source)
    if not match:
        raise ValueError(f"no function {name}")
    depth = 0
    for end in range(source.index("{", match.end()), len(source)):
        depth += {"{": 1, "}": -1}.get(source[end], 0)
        if depth == 0:
            return source[match.start():end + 1]
    raise ValueError(f"unbalanced function {name}")


def iframe_worker_bootstrap(source: str) -> str:
    """The shim's bootstrap script, with "${e}" left for the worker URL."""
    template = SHIM_TEMPLATE_RE.search(source)
    if not template:
        raise ValueError("iframe-worker shim: bootstrap script not found; update scripts/csp.py")
    text = template.group(1)
    for name in set(re.findall(r"\$\{(\w+)\}", text)) - {"e"}:
        text = text.replace(f"${{{name}}}", _function_source(source, name))
    return text


def iframe_worker_hash(html: str, bootstrap: str) -> set[str]:
    """Hash of the bootstrap script as the shim writes it on this page."""
    config = CONFIG_RE.search(html)
    if not config:
        return set()
    return {script_hash(bootstrap.replace("${e}", json.loads(config.group(1))["search"]))}


def js_string(literal: str) -> str:
    """The value of a JavaScript string literal's body (quotes removed)."""
    def unescape(match: re.Match) -> str:
        char = match.group(1)
        if char[0] == "u":
            return chr(int(char[2:-1] if char[1] == "{" else char[1:], 16))
        if char[0] == "x":
            return chr(int(char[1:], 16))
        if char == "\n":  # a line continuation
            return ""
        return JS_ESCAPES.get(char, char)
    return re.sub(r"\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.|\n)", unescape, literal)


def dynamic_style_hashes(source: str, where: str = "script") -> set[str]:
    """Hashes of the <style> elements a script builds from named string constants."""
    found = set()
    for name in set(DYNAMIC_STYLE_RE.findall(source)):
        value = re.search(rf"(?<![\w$.]){re.escape(name)}\s*=\s*(['\"`])((?:[^\\]|\\.)*?)\1", source, re.S)
        if not value or (value.group(1) == "`" and "${" in value.group(2)):
            raise ValueError(f"{where}: cannot read the style constant {name}; update scripts/csp.py")
        found.add(script_hash(js_string(value.group(2))))
    return found


def local_file(site: Path, page: Path, src: str) -> Path | None:
    """The file of the site that a page's relative script src points to."""
    url = urlsplit(src)
    if url.scheme or url.netloc or src.startswith("/"):
        return None
    path = (page.parent / unquote(url.path)).resolve()
    return path if path.is_file() and site.resolve() in path.parents else None


def fill_policy(policy: str, additions: dict[str, list[str]]) -> str:
    """Append the sources in `additions` ({directive: [source, ...]}) to the policy."""
    directives = [d.strip() for d in policy.split(";") if d.strip()]
    names = [d.split()[0] for d in directives]
    for name, sources in additions.items():
        if name not in names:
            raise ValueError(f"the CSP in overrides/main.html has no {name}: {policy!r}")
        i = names.index(name)
        have = directives[i].split()
        directives[i] = " ".join([*have, *(s for s in sources if s not in have)])  # idempotent
    return "; ".join(directives)


class SiteHashes:
    """The union of the hashes a site needs, gathered one page at a time.

    Only the hashes are kept, never a page: memory stays flat however large the site.
    """

    def __init__(self, site: Path):
        self.site = site
        self.scripts: set[str] = set()
        self.styles: set[str] = set()
        self.sources: dict[Path, str] = {}  # local script files, read once each

    def add_page(self, path: Path, html: str) -> None:
        self.scripts |= inline_script_hashes(html)
        self.styles |= inline_style_hashes(html)
        for src in SRC_VALUE_RE.findall(html):
            file = local_file(self.site, path, src)
            if not file:
                continue
            if file not in self.sources:
                self.sources[file] = file.read_text(encoding="utf-8", errors="replace")
            if "iframe-worker" in file.name:
                self.scripts |= iframe_worker_hash(html, iframe_worker_bootstrap(self.sources[file]))

    def additions(self) -> dict[str, list[str]]:
        styles = set(self.styles)
        for file, source in self.sources.items():
            styles |= dynamic_style_hashes(source, str(file.relative_to(self.site.resolve())))
        return {"script-src": sorted(self.scripts), "style-src": sorted(styles)}


def site_hashes(site: Path, pages: dict[Path, str]) -> dict[str, list[str]]:
    """The script-src and style-src hashes that every page of `pages` ({path: html}) needs."""
    found = SiteHashes(site)
    for path, html in pages.items():
        found.add_page(path, html)
    return found.additions()


def fill_site(site: Path, *, serve: bool = False) -> tuple[int, int, int]:
    """Fill the policy of every page; return (script sources, style sources, pages).

    Two streaming passes: the first reads each page, hashes its inline code and forgets
    it; the second writes the union into each page, again one page at a time.
    """
    found = SiteHashes(site)
    pages: list[Path] = []
    for path in sorted(site.rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        if META_RE.search(html):
            pages.append(path)
            if not serve:
                found.add_page(path, html)
    if not pages:
        raise ValueError(f"{site}: no page carries the CSP meta; is overrides/main.html in use?")
    if serve:
        additions = {"script-src": ["'unsafe-inline'"], "style-src": ["'unsafe-inline'"]}
    else:
        additions = found.additions()
    for path in pages:
        html = path.read_text(encoding="utf-8")
        new = META_RE.sub(lambda m: m.group(1) + fill_policy(m.group(2), additions) + m.group(3),
                          html, count=1)
        if new != html:
            path.write_text(new, encoding="utf-8")
    return len(additions["script-src"]), len(additions["style-src"]), len(pages)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--serve", action="store_true", help="allow 'unsafe-inline' (live reload only)")
    args = parser.parse_args(argv)
    try:
        scripts, styles, pages = fill_site(args.site, serve=args.serve)
    except (OSError, ValueError) as error:
        print(f"{args.site}: {error}", file=sys.stderr)
        return 1
    print(f"CSP: {scripts} script and {styles} style source(s) written into {pages} page(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
