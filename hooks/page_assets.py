"""MkDocs hook: what a page loads, and when (the Zensical build does the same by staging).

- The handbook's style sheet is inlined in every page's <head> (overrides/main.html,
  `{% include "assets/stylesheets/handbook.css" %}`), so the only render-blocking
  requests are the theme's two style sheets. on_env lets templates include files of the
  docs folder by their path there, minified (site_config.inlined_template); scripts/site_config.py
  stages the same text into the Zensical overrides. scripts/csp.py allows the inline
  style by hash.
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
- on_post_build minifies the handbook's own scripts in the built site
  (scripts/minify_js.py; the sources in docs/ keep their comments).
tests/test_speed.py checks all of it, and that the lightbox still works.
"""
from __future__ import annotations

import sys
from pathlib import Path

import jinja2
from mkdocs.exceptions import PluginError

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import minify_js  # noqa: E402
import site_config  # noqa: E402


class _DocsLoader(jinja2.FileSystemLoader):
    """Files of docs/ by their path there; the inlined ones as pages inline them."""

    def get_source(self, environment, template):
        source, filename, is_current = super().get_source(environment, template)
        if template in site_config.INLINED:
            source = site_config.inlined_template(Path(filename))
        return source, filename, is_current


def on_env(env, config, files):
    env.loader = jinja2.ChoiceLoader([env.loader, _DocsLoader(config.docs_dir)])
    bundles = sorted({p.name for d in config.theme.dirs for p in Path(d).glob("assets/javascripts/bundle.*.min.js")})
    if len(bundles) != 1:
        raise PluginError(f"page_assets: expected one theme bundle, found {bundles or 'none'}")
    env.globals["theme_bundle"] = f"assets/javascripts/{bundles[0]}"
    return env


def on_page_context(context, page, config, nav):
    if "glightbox" in config.plugins:
        page.meta["glightbox"] = False
    return context


def on_post_build(config):
    minify_js.minify_site(Path(config.site_dir))
