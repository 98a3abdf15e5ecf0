"""MkDocs hook: fill the Content-Security-Policy meta with the hashes of inline scripts.

overrides/main.html puts a `<meta http-equiv="Content-Security-Policy">` in every
page, whose script-src allows only 'self'. Material (the __md_scope helpers, the
palette and tab restorers) and mkdocs-glightbox (its init script) need a few
inline scripts. After the build, this hook reads every HTML page that carries the
policy, hashes each inline script exactly as the browser will (sha256 of its text),
and writes the hashes into script-src. Hashes are never kept by hand, so they never
go stale when the theme, a plugin or base_url changes.

Every page gets the same list, the union over the site: with navigation.instant,
Material fetches the next page and re-runs the scripts of its content area under
the policy of the first page loaded, so each page must allow the others' scripts.

`mkdocs serve` injects a live-reload script whose text changes with every request,
which no hash can match; there, and only there, script-src gets 'unsafe-inline'
instead of hashes (a warning says so). Built sites never do.
"""
from __future__ import annotations

import base64
import hashlib
import logging
import re
from pathlib import Path

from mkdocs.plugins import event_priority

log = logging.getLogger("mkdocs.hooks.csp")

META_RE = re.compile(
    r'(<meta http-equiv="Content-Security-Policy" content=")([^"]*)(")', re.IGNORECASE)
# The HTML tokenizer ends a script element's text at the first "</script".
SCRIPT_RE = re.compile(r"<script\b([^>]*)>(.*?)</script", re.IGNORECASE | re.DOTALL)
SRC_RE = re.compile(r"""\ssrc\s*=""", re.IGNORECASE)
TYPE_RE = re.compile(r"""\stype\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
# Script types the browser runs; anything else (application/json, ...) is a data block.
JS_TYPES = {"", "module", "text/javascript", "application/javascript", "text/ecmascript",
            "application/ecmascript", "text/jscript", "text/livescript"}

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


def fill_policy(policy: str, sources: list[str]) -> str:
    """Append `sources` to the policy's script-src directive."""
    directives = [d.strip() for d in policy.split(";") if d.strip()]
    for i, directive in enumerate(directives):
        if directive.split()[0] == "script-src":
            directives[i] = " ".join([directive, *sources])
            break
    else:
        raise ValueError(f"the CSP in overrides/main.html has no script-src: {policy!r}")
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
        log.warning("CSP: script-src allows 'unsafe-inline' for `mkdocs serve` (live reload); "
                    "built sites allow inline scripts by hash only")
        sources = ["'unsafe-inline'"]
    else:
        hashes: set[str] = set()
        for html in pages.values():
            hashes |= inline_script_hashes(html)
        sources = sorted(hashes)

    for path, html in pages.items():
        new = META_RE.sub(lambda m: m.group(1) + fill_policy(m.group(2), sources) + m.group(3),
                          html, count=1)
        path.write_text(new, encoding="utf-8")
    log.info("CSP: %d inline script hash(es) written into %d page(s)", len(sources), len(pages))
