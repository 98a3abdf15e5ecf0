"""MkDocs hook: give the offline build our vendored iframe-worker shim, never a CDN copy.

Material's offline plugin needs the iframe-worker shim so that search runs from
file://, and adds a CDN address for it to `extra.polyfills`. Online readers never
need it, so the shim is listed only here, and only when the offline plugin is on.
"""
from __future__ import annotations

from mkdocs.plugins import event_priority

SHIM = "assets/javascripts/iframe-worker-shim.js"


@event_priority(-100)  # after the offline plugin has added its CDN address
def on_config(config):
    """Swap any iframe-worker address for the vendored file in offline builds only."""
    offline = config.plugins.get("material/offline") or config.plugins.get("offline")
    polyfills = [p for p in config.extra.get("polyfills", []) if "iframe-worker" not in str(p)]
    if offline is not None and offline.config.enabled:
        polyfills.insert(0, SHIM)
    config.extra["polyfills"] = polyfills
    return config
