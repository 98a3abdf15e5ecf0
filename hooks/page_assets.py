"""MkDocs hook: what a page loads, and when (the Zensical build does the same by staging).

- The handbook's style sheet is inlined in every page's <head> (overrides/main.html,
  `{% include "assets/stylesheets/handbook.css" %}`), so the only render-blocking
  requests are the theme's two style sheets. on_env lets templates include files of the
  docs folder by their path there; scripts/site_config.py stages the same file into the
  Zensical overrides. scripts/csp.py allows the inline style by hash.
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

import jinja2


def on_env(env, config, files):
    env.loader = jinja2.ChoiceLoader([env.loader, jinja2.FileSystemLoader(config.docs_dir)])
    return env


def on_page_context(context, page, config, nav):
    if "glightbox" in config.plugins:
        page.meta["glightbox"] = False
    return context
