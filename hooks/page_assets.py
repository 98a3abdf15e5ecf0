"""MkDocs hook: what a page loads, and when (the Zensical build does the same by staging).

- The handbook's style sheet is inlined in every page's <head> (overrides/main.html,
  `{% include "assets/stylesheets/handbook.css" %}`), so the only render-blocking
  requests are the theme's two style sheets. on_env lets templates include files of the
  docs folder by their path there; scripts/site_config.py stages the same file into the
  Zensical overrides. scripts/csp.py allows the inline style by hash.
- Material's bundle is loaded with `defer` (overrides/lazy-loaders.html), so no script
  file holds up the page: on_env gives templates its file name (`theme_bundle`, with the
  hash Material puts in it), found in the theme's folder rather than written down.
- mkdocs-glightbox wraps the figures in <a class="glightbox"> (on_page_content), then
  adds GLightbox's style sheet and script to <head> of every page, figure or not, with
  an inline style and an init script (on_post_page). Its documented per-page switch,
  `glightbox: false` in a page's metadata, skips both; set here after the content is
  rendered (on_page_context runs between the two), it skips only the second. The
  theme loads assets/javascripts/lightbox.js instead (overrides/lazy-loaders.html),
  which fetches GLightbox the first time a reader reaches for a figure.
tests/test_speed.py checks both, and that the lightbox still works.
"""
from __future__ import annotations

from pathlib import Path

import jinja2
from mkdocs.exceptions import PluginError


def on_env(env, config, files):
    env.loader = jinja2.ChoiceLoader([env.loader, jinja2.FileSystemLoader(config.docs_dir)])
    bundles = sorted({p.name for d in config.theme.dirs for p in Path(d).glob("assets/javascripts/bundle.*.min.js")})
    if len(bundles) != 1:
        raise PluginError(f"page_assets: expected one theme bundle, found {bundles or 'none'}")
    env.globals["theme_bundle"] = f"assets/javascripts/{bundles[0]}"
    return env


def on_page_context(context, page, config, nav):
    if "glightbox" in config.plugins:
        page.meta["glightbox"] = False
    return context
