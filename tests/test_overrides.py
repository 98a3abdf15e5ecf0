"""Template overrides: copied partials still match the theme version they came from, and
the Zensical build gets only the engine-neutral ones.

Fixture: tests/fixtures/drifted-overrides/ (a copy whose theme file changed, a copy
that does not say where it came from)."""
from __future__ import annotations

import check_overrides
import pytest
import site_config

from helpers import FIXTURES, ROOT, run

DRIFTED = FIXTURES / "drifted-overrides" / "partials"


@pytest.mark.any_engine
def test_copied_partials_match_the_installed_themes():
    """Runs under `make test` (Material) and `make zensical` (Zensical installed too)."""
    skipped: set[str] = set()
    assert check_overrides.check(skipped=skipped) == []
    assert "mkdocs-material" not in skipped
    result = run("python", "scripts/check_overrides.py")
    assert result.returncode == 0, result.stdout


def test_drift_and_missing_provenance_fail_with_file_and_line():
    problems = check_overrides.check(DRIFTED.parent)
    assert problems[0].startswith(f"{DRIFTED / 'footer.html'}:1: a copied partial needs a 'copied-from:")
    assert problems[1].startswith(f"{DRIFTED / 'search.html'}:2: partials/search.html of mkdocs-material "
                                  "changed since it was copied from 9.7.0 (installed 9.8.1")
    assert len(problems) == 2


def test_zensical_gets_the_engine_neutral_overrides_only(tmp_path):
    out = site_config.stage_overrides(tmp_path / "overrides")
    staged = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html"))
    assert staged == [
        "404.html", "main.html", "partials/feedback.html", "partials/source-file.html", "partials/source.html",
    ]
    for name in ("partials/search.html", "partials/progress.html"):
        assert site_config.MATERIAL_ONLY in (ROOT / "overrides" / name).read_text().splitlines()[0]


def test_main_template_extends_blocks_and_carries_no_inline_script():
    main = (ROOT / "overrides" / "main.html").read_text(encoding="utf-8")
    assert '{% extends "base.html" %}' in main
    assert "<script" not in main and "| replace(" not in main
    source = (ROOT / "overrides" / "partials" / "source.html").read_text(encoding="utf-8")
    assert 'class="md-source"' in source and 'class="md-source" data-md-component' not in source
