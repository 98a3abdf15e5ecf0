"""MkDocs hook: a thin wrapper that runs scripts/csp.py over the built site.

scripts/csp.py fills the Content-Security-Policy of any engine's output with the hashes
of the inline scripts and styles (`make zensical` runs it on the Zensical build). Here
it runs after every plugin has written its pages. Under `mkdocs serve` the live-reload
script changes on every request, so there, and only there, script-src and style-src
allow 'unsafe-inline' (the log says so); built sites allow inline code by hash only.
"""
from __future__ import annotations

import logging
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import csp  # noqa: E402

log = logging.getLogger("mkdocs.hooks.csp")
_state = {"command": "build"}


def on_startup(command: str, dirty: bool) -> None:
    _state["command"] = command


@event_priority(-200)  # after every plugin that edits pages (glightbox, offline, ...)
def on_post_build(config) -> None:
    serve = _state["command"] == "serve"
    if serve:  # info, not warning: a warning would abort `mkdocs serve` under strict: true
        log.info("CSP: script-src and style-src allow 'unsafe-inline' under `mkdocs serve` "
                 "(live reload); built sites allow inline code by hash only")
    try:
        scripts, styles, pages = csp.fill_site(Path(config.site_dir), serve=serve)
    except (OSError, ValueError) as error:
        raise PluginError(f"CSP: {error}") from error
    log.info("CSP: %d script and %d style source(s) written into %d page(s)", scripts, styles, pages)
