"""Shared helpers for the test suite: paths, and running MkDocs and scripts."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
sys.path.insert(0, str(ROOT / "scripts"))
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
IN_CI = os.environ.get("CI") == "true"
RAW_SOURCES = Path(os.environ.get("HANDBOOK_SOURCES") or ROOT.parent / "shared" / "sources")


def unavailable(reason: str):
    """A test cannot run because a tool or folder is missing: skip it locally, fail it in CI.

    With CI=true a missing Chromium, Java, Node tool or raw-source folder is a failure
    with this message, never a silent skip: a green CI must mean every suite ran.
    """
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: a missing tool is a failure, not a skip; .ci/run installs it)")
    pytest.skip(reason)


def raw_sources() -> Path:
    """The folder of raw source pages, announced in the test log; unavailable() if it is missing."""
    if not any(RAW_SOURCES.glob("*.txt")):
        unavailable(f"raw sources not found at {RAW_SOURCES} (set HANDBOOK_SOURCES)")
    print(f"reading the raw source pages in {RAW_SOURCES}")
    return RAW_SOURCES


def mkdocs_build(config: Path, site_dir: Path, *extra: str, strict: bool = True,
                 env: dict | None = None, offline: bool = False) -> subprocess.CompletedProcess:
    """Run `mkdocs build` (strict unless asked) for a config into site_dir; capture the output.

    offline=True builds the derived offline config (scripts/site_config.py) of `config`."""
    if offline:
        import site_config
        config = site_config.write_offline(site_dir.parent / f"{site_dir.name}-offline.yml", config)
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict" if strict else "--no-strict",
         "-f", str(config), "-d", str(site_dir), *extra],
        cwd=config.parent, capture_output=True, text=True, env={**ENV, **(env or {})}, timeout=600)


def run(*args: str, cwd: Path = ROOT, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run a command (python or a tool from this environment's bin/), capturing its output."""
    tool = Path(sys.executable).parent / args[0]
    command = [sys.executable if args[0] == "python" else str(tool) if tool.exists() else args[0], *args[1:]]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, env={**ENV, **(env or {})},
                          timeout=600)


def zensical_build(project: Path, *, strict: bool = True) -> subprocess.CompletedProcess:
    """Stage and build the handbook with Zensical in `project` (site in project/site)."""
    import site_build
    try:
        site_build.zensical_executable()
    except FileNotFoundError as error:  # asked for by --engine zensical: never a silent skip
        pytest.fail(str(error))
    return site_build.build_zensical(project, strict=strict)
