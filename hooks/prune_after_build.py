"""MkDocs hook: a thin wrapper that runs scripts/prune_site.py over the built site.

scripts/prune_site.py removes what no reader requests (source maps, the search
languages this site does not use) from any engine's output; here it runs after every
plugin has written its files, so `make build`, the offline zip and the tests all get
the pruned site.
"""
from __future__ import annotations

import logging
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import prune_site  # noqa: E402

log = logging.getLogger("mkdocs.hooks.prune")


@event_priority(-200)  # after every plugin that writes files into the site
def on_post_build(config) -> None:
    try:
        maps, lunr = prune_site.prune(Path(config.site_dir))
    except (OSError, ValueError) as error:
        raise PluginError(f"prune: {error}") from error
    log.info("prune: removed %d source map(s) and %d unused search-language file(s)", len(maps), len(lunr))
