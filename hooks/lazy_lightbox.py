"""MkDocs hook: mkdocs-glightbox wraps the figures, assets/javascripts/lightbox.js loads GLightbox.

mkdocs-glightbox does two things: it wraps each image of a page in <a class="glightbox">
(on_page_content), and it adds GLightbox's style sheet and script to <head> of every
page, with an inline style and an init script (on_post_page). The second makes two
render-blocking requests on every page, figure or not. Its documented per-page switch,
`glightbox: false` in a page's metadata, skips both steps; set here after the content
is rendered (on_page_context runs between the two), it skips only the second. The
theme then loads assets/javascripts/lightbox.js (overrides/lazy-loaders.html), which
fetches GLightbox the first time a reader reaches for a figure. tests/test_speed.py
checks that no page loads GLightbox up front and that the lightbox still works.
"""
from __future__ import annotations


def on_page_context(context, page, config, nav):
    if "glightbox" in config.plugins:
        page.meta["glightbox"] = False
    return context
