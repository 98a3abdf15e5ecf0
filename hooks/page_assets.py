"""MkDocs hook: what a page loads, and when (the Zensical build does the same by staging).

- One style sheet blocks rendering, cached across pages: on_files joins the theme's two
  (main.*.min.css, palette.*.min.css) and the handbook's, minified, in that cascade
  order, into assets/stylesheets/handbook.<hash>.min.css (site_config.combined_css; the
  hash of its content, so a change reaches readers at once), and leaves the three
  separate files out of the site. overrides/main.html links it (`handbook_styles`).
  Zensical runs no hooks: its pages keep the theme's two sheets and the handbook's
  inline (scripts/site_config.py stages it into its overrides; scripts/csp.py allows
  it by hash).
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
- on_env gives Jinja a bytecode cache in build/cache/jinja/, so templates are not
  compiled again on every build (nor on every `mkdocs serve` reload).
- on_post_build minifies the handbook's own scripts in the built site
  (scripts/minify_js.py; the sources in docs/ keep their comments).
tests/test_speed.py checks all of it, and that the lightbox still works.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import jinja2
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import minify_js  # noqa: E402
import site_config  # noqa: E402

JINJA_CACHE = Path(__file__).resolve().parent.parent / "build" / "cache" / "jinja"
THEME_CSS = re.compile(r"assets/stylesheets/(main|palette)\.[0-9a-f]+\.min\.css")
_state: dict = {"styles": None}


def on_files(files: Files, config) -> Files:
    """Replace the theme's two style sheets and handbook.css by their join, hashed."""
    theme = {}
    for file in files:
        match = THEME_CSS.fullmatch(file.src_uri)
        if match and match.group(1) in theme:
            raise PluginError(f"page_assets: two theme style sheets named {match.group(1)}.*.min.css")
        if match:
            theme[match.group(1)] = file
    parts = ["main", "palette"] if config.theme.get("palette") else ["main"]
    if sorted(theme) != sorted(parts):
        raise PluginError(f"page_assets: expected the theme's {' and '.join(parts)} style sheets, "
                          f"found {sorted(f.src_uri for f in theme.values()) or 'none'}")
    own = files.get_file_from_path(site_config.HANDBOOK_CSS)
    if own is None:
        raise PluginError(f"page_assets: docs/{site_config.HANDBOOK_CSS} not found")
    name, text = site_config.combined_css([Path(theme[p].abs_src_path) for p in parts], Path(own.abs_src_path))
    for file in [*theme.values(), own]:
        files.remove(file)
    files.append(File.generated(config, name, content=text))
    _state["styles"] = name
    return files


def on_env(env, config, files):
    # Templates compiled once, not on every build: Jinja's own bytecode cache, keyed by
    # each template's source, so an edited template is compiled again (about 2 % of a build).
    JINJA_CACHE.mkdir(parents=True, exist_ok=True)
    env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(JINJA_CACHE))
    env.globals["handbook_styles"] = _state["styles"]
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
