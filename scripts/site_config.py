"""Write the derived configurations: the offline build and the Zensical build.

mkdocs.yml is the one configuration people edit; it describes the online site built by
MkDocs + Material. The variants are derived from it by this script, as FastAPI's docs
script derives its variants, instead of by environment toggles:

- offline (build/config/offline.yml, for MkDocs): Material's offline plugin on (no
  directory URLs, search index inlined for file://), the vendored iframe-worker shim
  first in extra.polyfills (so the plugin adds no CDN address), and the offline zip
  left out of extra.downloads (the offline copy does not offer itself);
- zensical (<out>/mkdocs.yml, default build/zensical/): the same site for Zensical, which
  runs no hooks and ships its own search. Its docs tree is staged by scripts/generate.py,
  its template overrides are the engine-neutral ones, and everything only MkDocs or
  Material understands is dropped (see zensical() below).

Paths in a derived config are absolute, so it works from wherever it is written.

Usage: python scripts/site_config.py offline|zensical   (writes the file, prints its path)
"""
from __future__ import annotations

import copy
import hashlib
import re
import shutil
import sys
from pathlib import Path

import search_separator
import yaml

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "mkdocs.yml"
OFFLINE = ROOT / "build" / "config" / "offline.yml"
ZENSICAL = ROOT / "build" / "zensical"
SHIM = "assets/javascripts/iframe-worker-shim.js"
OFFLINE_ZIP = "handbook-offline.zip"
# Template overrides that only Material understands: each says so in its first line.
MATERIAL_ONLY = "engine: material"
# Zensical loads GLightbox from unpkg.com unless the page already has it: ship the copy
# that mkdocs-glightbox vendors (MIT), under the staged docs tree.
GLIGHTBOX_DIR = "assets/vendor/glightbox"
# The handbook's style sheet. MkDocs serves it joined to the theme's two in one cached
# file (hooks/page_assets.py, combined_css); Zensical's pages include it inline
# (overrides/main.html), from its staged overrides (INLINED).
HANDBOOK_CSS = "assets/stylesheets/handbook.css"
INLINED = (HANDBOOK_CSS,)
# The comment a theme's minified sheet ends with; its map is not shipped (prune_site.py).
SOURCE_MAP_COMMENT = re.compile(r"/\*# sourceMappingURL=[^*]*\*/\s*$")


def inlined_text(path: Path) -> str:
    """A file of docs/ as templates inline it in every page: a style sheet minified by
    rcssmin (no comments, no spare whitespace: 4.4 KiB compressed becomes 2.0 KiB)."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".css":
        import rcssmin
        text = rcssmin.cssmin(text)
    return text


def combined_css(theme: list[Path], own: Path) -> tuple[str, str]:
    """(name, text) of the one style sheet pages link: the theme's sheets, then the
    handbook's minified (the cascade order of a page that links the theme's and inlines
    ours), named assets/stylesheets/handbook.<hash of the text>.min.css."""
    parts = [SOURCE_MAP_COMMENT.sub("", p.read_text(encoding="utf-8")).rstrip() for p in theme]
    text = "\n".join([*parts, inlined_text(own)]) + "\n"
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
    return f"assets/stylesheets/handbook.{digest}.min.css", text


def inlined_template(path: Path) -> str:
    """inlined_text() as a template source both engines include verbatim: minified CSS
    can hold "{#" (as in "@media screen{#__search..."), which Jinja reads as a comment."""
    text = inlined_text(path)
    if "endraw" in text:
        raise ValueError(f"{path}: cannot be inlined verbatim (it contains 'endraw')")
    return "{% raw %}" + text + "{% endraw %}"


class PyName(str):
    """A `!!python/name:module.attr` value (the emoji functions), written back as such."""


class Relative(str):
    """A `!relative $config_dir` value, resolved to an absolute path in derived configs."""


class EnvTag:
    """An `!ENV` value, written back unchanged."""

    def __init__(self, value):
        self.value = value


class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """Reads mkdocs.yml with its MkDocs tags kept as values (with libyaml when available:
    the build reads the nav for every chapter line, hooks/generated_pages.py)."""


Loader.add_multi_constructor("tag:yaml.org,2002:python/name:",
                             lambda loader, suffix, node: PyName(suffix))
Loader.add_constructor("!relative", lambda loader, node: Relative(loader.construct_scalar(node) or "$config_dir"))
Loader.add_constructor("!ENV", lambda loader, node: EnvTag(
    loader.construct_sequence(node) if isinstance(node, yaml.SequenceNode) else loader.construct_scalar(node)))


class Dumper(yaml.SafeDumper):
    """Writes a derived config, with the MkDocs tags back in place."""


Dumper.add_representer(PyName, lambda d, v: d.represent_scalar(f"tag:yaml.org,2002:python/name:{v}", ""))
Dumper.add_representer(Relative, lambda d, v: d.represent_scalar("!relative", str(v)))
Dumper.add_representer(EnvTag, lambda d, v: d.represent_sequence("!ENV", v.value)
                       if isinstance(v.value, list) else d.represent_scalar("!ENV", v.value))


def load(path: Path = CONFIG) -> dict:
    """mkdocs.yml as a dict, its tags kept (PyName, Relative, EnvTag)."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=Loader)  # noqa: S506 (a SafeLoader)


def dump(config: dict, header: str) -> str:
    text = yaml.dump(config, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=100)
    return "".join(f"# {line}\n" for line in header.splitlines()) + text


def plugin_list(config: dict) -> list:
    return [p if isinstance(p, dict) else {p: {}} for p in config.get("plugins") or []]


def plugin_names(config: dict) -> list[str]:
    return [next(iter(p)) for p in plugin_list(config)]


def _resolve(value, docs: Path, root: Path):
    """Replace `!relative` values, anywhere in the config, by absolute paths."""
    if isinstance(value, Relative):
        where = {"$config_dir": root, "$docs_dir": docs}
        base, _, rest = str(value).partition("/")
        return str(where.get(base, root) / rest) if base in where else str(root / value)
    if isinstance(value, dict):
        return {k: _resolve(v, docs, root) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve(v, docs, root) for v in value]
    return value


def absolute_paths(config: dict, root: Path = ROOT) -> dict:
    """The config with every file-system path absolute (it may then live anywhere)."""
    config = copy.deepcopy(config)
    docs = root / config.get("docs_dir", "docs")
    config["docs_dir"] = str(docs)
    config["site_dir"] = str(root / config.get("site_dir", "site"))
    theme = config.get("theme") or {}
    if isinstance(theme, dict) and theme.get("custom_dir"):
        theme["custom_dir"] = str(root / theme["custom_dir"])
    config["hooks"] = [str(root / h) for h in config.get("hooks") or []]
    if config.get("watch"):  # folders `mkdocs serve` watches, relative to the config
        config["watch"] = [str(root / w) for w in config["watch"]]
    return _resolve(config, docs, root)


def offline(config: dict) -> dict:
    """The offline build's config (MkDocs + Material)."""
    config = absolute_paths(config)
    plugins = [p for p in plugin_list(config) if next(iter(p)) not in ("offline", "material/offline")]
    plugins.append({"offline": {"enabled": True}})
    config["plugins"] = plugins
    extra = config.setdefault("extra", {})
    extra["polyfills"] = [SHIM] + [p for p in extra.get("polyfills") or [] if "iframe-worker" not in str(p)]
    extra["downloads"] = [d for d in extra.get("downloads") or [] if d != OFFLINE_ZIP]
    return config


# Plugins Zensical would ignore or that only serve MkDocs + Material.
ZENSICAL_DROP_PLUGINS = {"offline", "material/offline", "git-revision-date-localized"}
# Search-plugin settings that only Material's lunr search reads. Zensical's search reads
# the separator too, with its own stop words (search-tuning/stop-words.txt, `zensical-only:`).
MATERIAL_SEARCH_ONLY = ("pipeline", "lang", "min_search_length", "prebuild_index", "indexing")


def zensical(config: dict, out: Path = ZENSICAL) -> dict:
    """The Zensical build's config: project root `out`, docs and overrides staged there."""
    config = absolute_paths(config)
    config.pop("hooks", None)  # Zensical runs no hooks: scripts/generate.py stages the pages
    config["docs_dir"] = "docs"  # Zensical wants both inside the project root (`out`)
    config["site_dir"] = "site"
    theme = config.setdefault("theme", {})
    theme["custom_dir"] = "overrides"
    theme["variant"] = "classic"  # Material's look; "modern" is Zensical's own
    plugins = []
    for plugin in plugin_list(config):
        name, settings = next(iter(plugin.items()))
        settings = dict(settings or {})
        if name in ZENSICAL_DROP_PLUGINS:
            continue
        if name in ("search", "material/search"):
            for key in MATERIAL_SEARCH_ONLY:
                settings.pop(key, None)
            if "separator" in settings:  # Zensical's own stop words (scripts/search_separator.py)
                settings["separator"] = search_separator.engine_separator("zensical")
        if name == "redirects" and not settings.get("redirect_maps"):
            continue  # an empty map would only cost every page a request for redirect.json
        plugins.append({name: settings})
    config["plugins"] = plugins
    extra = config.setdefault("extra", {})
    extra["polyfills"] = [f"{GLIGHTBOX_DIR}/glightbox.min.js"] + [
        p for p in extra.get("polyfills") or [] if "iframe-worker" not in str(p)]
    config["extra_css"] = [*config.get("extra_css", []), f"{GLIGHTBOX_DIR}/glightbox.min.css"]
    return config


def stage_overrides(out: Path, source: Path = ROOT / "overrides", docs: Path = ROOT / "docs") -> Path:
    """Copy the engine-neutral template overrides (not the Material-only ones) to `out`,
    and the docs files that templates include inline (INLINED)."""
    if out.exists():
        shutil.rmtree(out)
    for path in sorted(source.rglob("*")):
        if path.is_file():
            first = path.read_text(encoding="utf-8").split("\n", 1)[0]
            if MATERIAL_ONLY in first:
                continue
            target = out / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
    for name in INLINED:
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_text(inlined_template(docs / name), encoding="utf-8")
    out.mkdir(parents=True, exist_ok=True)
    return out


def stage_glightbox(docs: Path) -> None:
    """Copy mkdocs-glightbox's GLightbox files into the staged docs tree."""
    import mkdocs_glightbox
    source = Path(mkdocs_glightbox.__file__).parent / "glightbox"
    target = docs / GLIGHTBOX_DIR
    target.mkdir(parents=True, exist_ok=True)
    for name in ("glightbox.min.js", "glightbox.min.css"):
        shutil.copy2(source / name, target / name)
    shutil.copy2(source / "LICENSE.md", target / "LICENSE.txt")  # .md would become a page


def write_offline(path: Path = OFFLINE, source: Path = CONFIG) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dump(offline(load(source)),
                         f"Generated by scripts/site_config.py from {source.name}: do not edit.\n"
                         "The offline build: Material's offline plugin, vendored iframe-worker shim."),
                    encoding="utf-8")
    return path


def write_zensical(out: Path = ZENSICAL, source: Path = CONFIG) -> Path:
    """Write <out>/mkdocs.yml and the engine-neutral overrides; the docs are staged separately."""
    out.mkdir(parents=True, exist_ok=True)
    stage_overrides(out / "overrides")
    path = out / "mkdocs.yml"
    path.write_text(dump(zensical(load(source), out),
                         f"Generated by scripts/site_config.py from {source.name}: do not edit.\n"
                         "The same site for Zensical (project root: this folder)."),
                    encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    if args == ["offline"]:
        print(write_offline())
    elif args == ["zensical"]:
        print(write_zensical())
    else:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
