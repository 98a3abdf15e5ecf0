"""Build the site with MkDocs into a folder, for the PDF and offline exports.

Not strict: content checks belong to `make build` and `make test`.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def build_site(config: Path, site: Path, *, offline: bool = False) -> None:
    """Run `mkdocs build` for `config` into `site`; OFFLINE=true turns on the offline plugin."""
    env = {**os.environ, "OFFLINE": "true" if offline else "false",
           "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    mkdocs = Path(sys.executable).with_name("mkdocs")
    subprocess.run([str(mkdocs), "build", "--no-strict", "--quiet", "-f", str(config), "-d", str(site)],
                   check=True, env=env)
