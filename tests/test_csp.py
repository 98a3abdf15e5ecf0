"""scripts/csp.py fills the policy of any built site; the browser tests check it works.

Fixture: tests/fixtures/csp-site/ (inline script, style, JSON data block, a bundle that
builds a shadow-DOM <style> from a string constant, one that builds it from a template)."""
from __future__ import annotations

import re
import shutil

import csp
import pytest

from helpers import FIXTURES, run

SITE = FIXTURES / "csp-site"


def policy(html: str) -> dict[str, list[str]]:
    content = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', html).group(1)
    return {d.split()[0]: d.split()[1:] for d in content.split("; ")}


def test_fills_inline_and_runtime_hashes_once(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(SITE, site)
    (site / "assets" / "unreadable.js").unlink()
    assert csp.fill_site(site) == (1, 2, 1)
    filled = policy((site / "index.html").read_text(encoding="utf-8"))
    assert filled["script-src"] == ["'self'", csp.script_hash("var a = 1;")]  # not the JSON block
    assert filled["style-src"] == ["'self'", *sorted([csp.script_hash("p { color: red; }"),
                                                     csp.script_hash('.u{color:red}\n.v{content:"\u00b7"}')])]
    result = run("python", "scripts/csp.py", str(site))  # a second run adds nothing
    assert result.returncode == 0 and policy((site / "index.html").read_text(encoding="utf-8")) == filled


def test_serve_allows_unsafe_inline_instead(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(SITE, site)
    csp.fill_site(site, serve=True)
    assert policy((site / "index.html").read_text())["script-src"] == ["'self'", "'unsafe-inline'"]


def test_a_style_it_cannot_hash_fails_instead_of_being_left_out(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(SITE, site)
    (site / "index.html").write_text((site / "index.html").read_text().replace("bundle.js", "unreadable.js"))
    with pytest.raises(ValueError, match="assets/unreadable.js: cannot read the style constant Dyn"):
        csp.fill_site(site)
    assert run("python", "scripts/csp.py", str(site)).returncode == 1


def test_a_site_without_the_policy_meta_fails(tmp_path):
    (tmp_path / "index.html").write_text("<html><head></head></html>")
    with pytest.raises(ValueError, match="no page carries the CSP meta"):
        csp.fill_site(tmp_path)
