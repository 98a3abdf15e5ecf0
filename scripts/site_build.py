"""Build the site into a folder with either engine, for the exports, tests and benchmarks.

- build_site(): MkDocs + Material, from mkdocs.yml or (offline=True) from the derived
  offline config (scripts/site_config.py). Not strict: content checks belong to
  `make build` and `make test`.
- build_zensical(): Zensical, from the derived Zensical config, in a project folder
  (default build/zensical/): scripts/generate.py stages the docs tree with the generated
  pages filled, `zensical build --strict` writes <folder>/site/, scripts/prune_site.py
  removes what no reader requests, scripts/minify_js.py minifies our scripts,
  scripts/csp.py fills the Content-Security-Policy
  and scripts/social_cards.py draws the link-preview images
  (Zensical runs no hooks).

Usage: python scripts/site_build.py zensical [--out build/zensical]
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import csp
import generate
import minify_js
import prune_site
import site_config
import social_cards

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true", "NO_COLOR": "1"}


def build_site(config: Path, site: Path, *, offline: bool = False) -> None:
    """Run `mkdocs build` for `config` (or its offline variant) into `site`."""
    if offline:  # the derived config lives beside the site it builds
        config = site_config.write_offline(site.parent / f"{site.name}-offline.yml", config)
    mkdocs = Path(sys.executable).with_name("mkdocs")
    subprocess.run([str(mkdocs), "build", "--no-strict", "--quiet", "-f", str(config), "-d", str(site)],
                   check=True, env=ENV)


def zensical_executable() -> Path:
    """The zensical command of this environment (requirements/zensical.txt)."""
    path = Path(sys.executable).with_name("zensical")
    if not path.exists():
        raise FileNotFoundError("zensical is not installed: run `make zensical` "
                                "(it installs requirements/zensical.txt)")
    return path


def stage_zensical(out: Path, source: Path = site_config.CONFIG) -> Path:
    """Write the Zensical project in `out`: config, overrides, staged docs. Return the config."""
    config = site_config.write_zensical(out, source)
    extra = site_config.load(source).get("extra") or {}
    generate.stage(out / "docs", names=extra.get("downloads"), date_format=extra.get("date_format"))
    site_config.stage_glightbox(out / "docs")
    return config


def build_zensical(out: Path = site_config.ZENSICAL, *, strict: bool = True) -> subprocess.CompletedProcess:
    """Stage and build with Zensical into <out>/site; fill its CSP. Returns the build's output."""
    config = stage_zensical(out)
    command = [str(zensical_executable()), "build", "--clean", "-f", str(config)]
    if strict:
        command.append("--strict")
    result = subprocess.run(command, cwd=out, env=ENV, capture_output=True, text=True)
    if result.returncode == 0:
        prune_site.prune(out / "site")
        minify_js.minify_site(out / "site")
        csp.fill_site(out / "site")
        social_cards.write_cards(out / "site", social_cards.configured_site_url())
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("engine", choices=["zensical"])
    parser.add_argument("--out", type=Path, default=site_config.ZENSICAL)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    try:
        result = build_zensical(args.out)
    except (FileNotFoundError, ValueError, social_cards.CardError) as error:
        print(error, file=sys.stderr)
        return 1
    sys.stdout.write(result.stdout)
    sys.stderr.write(result.stderr)
    if result.returncode == 0:
        print(f"{args.out / 'site'}: built with Zensical in {time.perf_counter() - start:.1f} s")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
