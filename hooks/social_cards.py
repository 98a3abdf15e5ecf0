"""MkDocs hook: a thin wrapper that runs scripts/social_cards.py over the built site.

scripts/social_cards.py draws each page's link-preview image (the og:image that
overrides/main.html names) offline, from the page's own meta tags; `make zensical` runs
it on the Zensical build. It is left out under `mkdocs serve` (a preview is never
shared, and writers then need no font) and in the offline build (a page on file://
has no link preview), and says so in the log.
"""
from __future__ import annotations

import logging
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import social_cards  # noqa: E402

log = logging.getLogger("mkdocs.hooks.social_cards")
_state = {"command": "build"}


def on_startup(command: str, dirty: bool) -> None:
    _state["command"] = command


def on_post_build(config) -> None:
    if _state["command"] == "serve":
        log.info("social cards: not drawn under `mkdocs serve` (make build draws them)")
        return
    if any(name in config.plugins for name in ("offline", "material/offline")):
        log.info("social cards: not drawn for the offline build")
        return
    site_url = config.site_url or ""
    if not site_url:
        raise PluginError("social cards: site_url is not set in mkdocs.yml (og:image must be absolute)")
    try:
        count = social_cards.write_cards(Path(config.site_dir), site_url if site_url.endswith("/") else site_url + "/")
    except social_cards.CardError as error:
        raise PluginError(str(error)) from error
    log.info("social cards: %d drawn or copied from build/cache/social/", count)
