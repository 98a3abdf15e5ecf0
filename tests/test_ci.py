"""CI cannot pass by skipping: with CI=true a missing tool fails its tests, locally it skips them."""
from __future__ import annotations

import os
import re
import subprocess
import sys

from helpers import ENV, ROOT


def run_probe(tmp_path, ci: bool) -> subprocess.CompletedProcess:
    """Run the Chromium probe with the browser hidden: no system browser, no Playwright browser."""
    env = {**ENV, "HANDBOOK_CHROMIUM": str(tmp_path / "no-chromium"),
           "PLAYWRIGHT_BROWSERS_PATH": str(tmp_path / "no-browsers"), "CI": "true" if ci else "false"}
    env.pop("PYTEST_ADDOPTS", None)
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-rA", "-p", "no:cacheprovider",
                           "tests/probe_chromium.py"], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)


def test_a_hidden_browser_fails_the_run_in_ci(tmp_path):
    result = run_probe(tmp_path, ci=True)
    assert result.returncode == 1, result.stdout[-2000:]
    summary = result.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"1 error in [\d.]+s", summary), summary  # the fixture fails; nothing skipped
    assert "no Chromium" in result.stdout and "CI=true: a missing tool is a failure, not a skip" in result.stdout


def test_a_hidden_browser_only_skips_locally(tmp_path):
    result = run_probe(tmp_path, ci=False)
    assert result.returncode == 0, result.stdout[-2000:]
    summary = result.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"1 skipped in [\d.]+s", summary), summary
    assert "no Chromium" in result.stdout


def test_ci_entry_point_installs_what_each_group_needs_and_runs_its_make_target():
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert os.access(ROOT / ".ci" / "run", os.X_OK)
    for group, target in (("all", "test"), ("check", "check"), ("content", "test-content"), ("site", "test-site"),
                          ("browser", "test-browser"), ("book", "test-book"), ("zensical", "zensical")):
        assert re.search(rf"^\s*{group}\)\s+target={target};", script, re.M), group
    assert 'exec make "$target"' in script
    for package in ("chromium", "default-jre-headless", "epubcheck", "nodejs"):
        assert package in script, package
