"""MkDocs hook: fill the Content-Security-Policy meta with the hashes of inline scripts and styles.

overrides/main.html puts a `<meta http-equiv="Content-Security-Policy">` in every
page, whose script-src allows only 'self'. Material (the __md_scope helpers, the
palette and tab restorers) and mkdocs-glightbox (its init script) need a few
inline scripts. After the build, this hook reads every HTML page that carries the
policy, hashes each inline script exactly as the browser will (sha256 of its text),
and writes the hashes into script-src. It does the same for inline <style> elements
(mkdocs-glightbox adds one) in style-src. Hashes are never kept by hand, so they
never go stale when the theme, a plugin or base_url changes. Style attributes (a
Markdown table's column alignment, for one) are allowed by style-src-attr.

Every page gets the same list, the union over the site: with navigation.instant,
Material fetches the next page and re-runs the scripts of its content area under
the policy of the first page loaded, so each page must allow the others' scripts.

The vendored iframe-worker shim (extra.polyfills) runs search from file:// in the
offline build: it writes a bootstrap inline script, which embeds the page's search
worker URL, into a hidden iframe that inherits this policy. Its hash is computed
from the shim's own source for each page, so offline search works under the policy.

`mkdocs serve` injects a live-reload script whose text changes with every request,
which no hash can match; there, and only there, script-src and style-src get
'unsafe-inline' instead of hashes (the log says so). Built sites never do.
"""
from __future__ import annotations

import base64
import hashlib
import json
import logging
import re
from pathlib import Path

from mkdocs.plugins import event_priority

log = logging.getLogger("mkdocs.hooks.csp")

META_RE = re.compile(
    r'(<meta http-equiv="Content-Security-Policy" content=")([^"]*)(")', re.IGNORECASE)
# The HTML tokenizer ends a script element's text at the first "</script".
SCRIPT_RE = re.compile(r"<script\b([^>]*)>(.*?)</script", re.IGNORECASE | re.DOTALL)
STYLE_RE = re.compile(r"<style\b[^>]*>(.*?)</style", re.IGNORECASE | re.DOTALL)
SRC_RE = re.compile(r"""\ssrc\s*=""", re.IGNORECASE)
TYPE_RE = re.compile(r"""\stype\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
# Script types the browser runs; anything else (application/json, ...) is a data block.
JS_TYPES = {"", "module", "text/javascript", "application/javascript", "text/ecmascript",
            "application/ecmascript", "text/jscript", "text/livescript"}

CONFIG_RE = re.compile(r'<script id="__config" type="application/json">(.*?)</script>', re.DOTALL)
SHIM_SRC_RE = re.compile(r'<script src="([^"]*iframe-worker[^"]*)"')
SHIM_TEMPLATE_RE = re.compile(r"document\.write\(`<html><body><script>(.*?)<\\/script>")

_state = {"command": "build"}


def script_hash(text: str) -> str:
    """The CSP source expression ('sha256-...') for an inline script's text."""
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


def _function_source(source: str, name: str) -> str:
    """The text of `function name(...){...}` in `source`, as Function.toString gives it."""
    match = re.search(r"function %s\(" % re.escape(name), source)
    if not match:
        raise ValueError(f"no function {name}")
    depth = 0
    for end in range(source.index("{", match.end()), len(source)):
        depth += {"{": 1, "}": -1}.get(source[end], 0)
        if depth == 0:
            return source[match.start():end + 1]
    raise ValueError(f"unbalanced function {name}")


def iframe_worker_bootstrap(config) -> str | None:
    """The shim's bootstrap script, with "${e}" left for the worker URL; None without a shim."""
    for entry in config.extra.get("polyfills") or []:
        entry = str(entry)
        if "iframe-worker" in entry and "://" not in entry:
            source = (Path(config.site_dir) / entry).read_text(encoding="utf-8")
            template = SHIM_TEMPLATE_RE.search(source)
            if not template:
                raise ValueError(f"{entry}: bootstrap script not found; update hooks/csp.py")
            text = template.group(1)
            for name in set(re.findall(r"\$\{(\w+)\}", text)) - {"e"}:
                text = text.replace("${%s}" % name, _function_source(source, name))
            return text
    return None


def iframe_worker_hash(html: str, bootstrap: str) -> set[str]:
    """Hash of the bootstrap script as the shim writes it on this page."""
    config = CONFIG_RE.search(html)
    if not SHIM_SRC_RE.search(html) or not config:
        return set()
    return {script_hash(bootstrap.replace("${e}", json.loads(config.group(1))["search"]))}


def inline_style_hashes(html: str) -> set[str]:
    """Hashes of every inline <style> element in `html`."""
    return {script_hash(text) for text in STYLE_RE.findall(html)}


def fill_policy(policy: str, additions: dict[str, list[str]]) -> str:
    """Append the sources in `additions` ({directive: [source, ...]}) to the policy."""
    directives = [d.strip() for d in policy.split(";") if d.strip()]
    names = [d.split()[0] for d in directives]
    for name, sources in additions.items():
        if name not in names:
            raise ValueError(f"the CSP in overrides/main.html has no {name}: {policy!r}")
        i = names.index(name)
        directives[i] = " ".join([directives[i], *sources])
    return "; ".join(directives)


def on_startup(command: str, dirty: bool) -> None:
    _state["command"] = command


@event_priority(-200)  # after every plugin that edits pages (glightbox, offline, ...)
def on_post_build(config) -> None:
    pages = {}
    for path in sorted(Path(config.site_dir).rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        if META_RE.search(html):
            pages[path] = html
    if not pages:
        raise ValueError("hooks/csp.py: no page carries the CSP meta; is overrides/main.html in use?")

    if _state["command"] == "serve":
        # info, not warning: a warning would abort `mkdocs serve` under strict: true
        log.info("CSP: script-src and style-src allow 'unsafe-inline' under `mkdocs serve` "
                 "(live reload); built sites allow inline code by hash only")
        additions = {"script-src": ["'unsafe-inline'"], "style-src": ["'unsafe-inline'"]}
    else:
        try:
            bootstrap = iframe_worker_bootstrap(config)
        except (OSError, ValueError) as error:
            log.warning("CSP: offline search (iframe-worker shim) will be blocked: %s", error)
            bootstrap = None
        scripts: set[str] = set()
        styles: set[str] = set()
        for html in pages.values():
            scripts |= inline_script_hashes(html)
            styles |= inline_style_hashes(html)
            if bootstrap is not None:
                scripts |= iframe_worker_hash(html, bootstrap)
        additions = {"script-src": sorted(scripts), "style-src": sorted(styles)}

    for path, html in pages.items():
        new = META_RE.sub(lambda m: m.group(1) + fill_policy(m.group(2), additions) + m.group(3),
                          html, count=1)
        path.write_text(new, encoding="utf-8")
    log.info("CSP: %d script and %d style source(s) written into %d page(s)",
             len(additions["script-src"]), len(additions["style-src"]), len(pages))
