"""The handbook EPUB (scripts/build_epub.py): EPUBCheck, navigation, spine, links and notes,
safety, metadata, diagrams and wording.

The EPUB is built once per module from the site the session builds once (conftest.py:
book_site) and unpacked into a temporary folder. Each checker is a plain function that
returns a list of problems, and is also run on the deliberately bad EPUB in
tests/fixtures/bad-epub/ to prove it can fail. EPUBCheck needs Java: without it the
test is skipped locally and fails under CI=true (helpers.unavailable).
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import shared_run
from lxml import etree

import helpers

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import book  # noqa: E402
from check_html import element_problems  # noqa: E402

pytestmark = pytest.mark.book
BAD = ROOT / "tests" / "fixtures" / "bad-epub"
NS = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/",
      "x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops",
      "c": "urn:oasis:names:tc:opendocument:xmlns:container"}
EPUB_TYPE = f"{{{NS['epub']}}}type"
EPUBCHECK_JAR = Path("/usr/share/java/epubcheck.jar")
# A short run of Java: the quick compiler only, one garbage-collector thread. EPUBCheck's
# answer is the same; its CPU time on the handbook falls from about 7.6 s to 3.2 s.
JAVA = ["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"]
FONT_TYPES = re.compile(r"^(font/|application/(x-)?font|application/vnd\.ms-opentype)")
A11Y = ("schema:accessMode", "schema:accessModeSufficient", "schema:accessibilityFeature",
        "schema:accessibilityHazard", "schema:accessibilitySummary")


def norm(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").split())


# ---- Reading an unpacked EPUB ----------------------------------------------------------

def unpack(epub_file: Path, folder: Path) -> Path:
    with zipfile.ZipFile(epub_file) as zf:
        zf.extractall(folder)
    return folder


def pack(folder: Path, epub_file: Path) -> Path:
    """Zip a folder as an EPUB: the mimetype first and stored, as the OCF spec asks."""
    with zipfile.ZipFile(epub_file, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(folder / "mimetype", "mimetype", compress_type=zipfile.ZIP_STORED)
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.name != "mimetype":
                zf.write(path, path.relative_to(folder).as_posix())
    return epub_file


class Package:
    """The package document of an unpacked EPUB: manifest, spine, metadata and nav."""

    def __init__(self, root: Path):
        container = etree.parse(str(root / "META-INF" / "container.xml"))
        self.opf = root / container.find(".//c:rootfile", NS).get("full-path")
        self.tree = etree.parse(str(self.opf))
        self.base = self.opf.parent
        self.manifest = {item.get("id"): item for item in self.tree.iterfind(".//opf:manifest/opf:item", NS)}
        self.spine = [self.base / self.manifest[ref.get("idref")].get("href")
                      for ref in self.tree.iterfind(".//opf:spine/opf:itemref", NS)
                      if ref.get("idref") in self.manifest]
        self.files = {(self.base / item.get("href")).resolve() for item in self.manifest.values()}
        self.nav = next((self.base / item.get("href") for item in self.manifest.values()
                         if "nav" in (item.get("properties") or "").split()), None)

    def documents(self) -> list[Path]:
        return [self.base / item.get("href") for item in self.manifest.values()
                if item.get("media-type") == "application/xhtml+xml"]

    def meta(self, prop: str) -> list[str]:
        return [(m.text or "").strip() for m in self.tree.iterfind(f".//opf:metadata/opf:meta[@property='{prop}']",
                                                                  NS)]

    def dc(self, name: str) -> list[str]:
        return [(e.text or "").strip() for e in self.tree.iterfind(f".//opf:metadata/dc:{name}", NS)]


def nav_entries(package: Package) -> list[tuple[int, str, str]]:
    """(level, title, file) of every entry of the navigation document's table of contents."""
    tree = etree.parse(str(package.nav))
    toc = next(nav for nav in tree.iterfind(".//x:nav", NS) if nav.get(EPUB_TYPE) == "toc")
    entries = []

    def walk(ol, level):
        for li in ol.iterfind("x:li", NS):
            label = li.find("x:a", NS)
            label = label if label is not None else li.find("x:span", NS)
            href = label.get("href") or ""
            target = (package.nav.parent / unquote(href.split("#")[0])).resolve() if href else None
            entries.append((level, norm("".join(label.itertext())), str(target) if target else ""))
            for sub in li.iterfind("x:ol", NS):
                walk(sub, level + 1)
    walk(toc.find("x:ol", NS), 1)
    return entries


# ---- Checkers --------------------------------------------------------------------------

def epubcheck_command() -> list[str] | None:
    """EPUBCheck from the Debian package (a jar run with Java), or an `epubcheck` on the PATH.

    HANDBOOK_EPUBCHECK names another jar or program (a missing one hides EPUBCheck, which
    test_missing_epubcheck_fails_in_ci_and_skips_locally uses).
    """
    override = os.environ.get("HANDBOOK_EPUBCHECK")
    if override:
        path = Path(override)
        if not path.is_file() or (path.suffix == ".jar" and not shutil.which("java")):
            return None
        return [*JAVA, "-jar", str(path)] if path.suffix == ".jar" else [str(path)]
    if EPUBCHECK_JAR.is_file() and shutil.which("java"):
        return [*JAVA, "-jar", str(EPUBCHECK_JAR)]
    found = shutil.which("epubcheck")
    if found and not Path(found).resolve().suffix == ".jar":
        return [found]
    return None


def epubcheck_problems(epub_file: Path, command: list[str]) -> list[str]:
    """Every fatal error, error and warning EPUBCheck reports (an empty list when it passes)."""
    result = subprocess.run([*command, str(epub_file)], capture_output=True, text=True, timeout=300)
    output = result.stdout + result.stderr
    problems = [line for line in output.splitlines() if re.match(r"^(FATAL|ERROR|WARNING)\(", line)]
    summary = re.search(r"Messages: (\d+) fatals? / (\d+) errors? / (\d+) warnings?", output)
    if summary is None:
        problems.append(f"EPUBCheck did not finish: {output.strip()[-500:]}")
    elif sum(int(n) for n in summary.groups()) and not problems:
        problems.append(summary.group(0))
    return problems


def spine_problems(package: Package) -> list[str]:
    """Nav entries whose file is not in the spine, or not in nav order."""
    spine = [str(path.resolve()) for path in package.spine]
    problems, last = [], -1
    for _, title, file in nav_entries(package):
        if file not in spine:
            problems.append(f"{title!r} is in the nav but not in the spine")
            continue
        if spine.index(file) < last:
            problems.append(f"{title!r} comes earlier in the spine than in the nav")
        last = max(last, spine.index(file))
    return problems


def link_problems(package: Package) -> list[str]:
    """Links and note references that do not resolve inside the book; notes nobody calls."""
    trees = {path.resolve(): etree.parse(str(path)) for path in package.documents()}
    ids = {path: {el.get("id"): el for el in tree.iter() if el.get("id")} for path, tree in trees.items()}
    problems, called = [], set()
    for path, tree in trees.items():
        name = path.relative_to(package.base.resolve()).as_posix()
        for el in tree.iter(f"{{{NS['x']}}}a", f"{{{NS['x']}}}img"):
            ref = el.get("href") if el.tag.endswith("}a") else el.get("src")
            if not ref or urlsplit(ref).scheme:
                continue
            parts = urlsplit(ref)
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if target not in package.files:
                problems.append(f"{name}: {ref} is not in the book")
                continue
            if parts.fragment:
                element = ids.get(target, {}).get(parts.fragment)
                if element is None:
                    problems.append(f"{name}: {ref} has no target")
                elif "noteref" in (el.get(EPUB_TYPE) or "").split():
                    if "footnote" not in (element.get(EPUB_TYPE) or "").split() or not element.tag.endswith("aside"):
                        problems.append(f"{name}: note reference {ref} does not point at a footnote")
                    called.add((target, parts.fragment))
        for aside in tree.iter(f"{{{NS['x']}}}aside"):
            if "footnote" in (aside.get(EPUB_TYPE) or "").split() and (path, aside.get("id")) not in called:
                problems.append(f"{name}: footnote {aside.get('id')} is called nowhere")
    return problems


def attributes(element) -> dict[str, str]:
    """An lxml element's attributes with prefixes as written (epub:type, xlink:href)."""
    out = {}
    for key, value in element.attrib.items():
        if key.startswith("{"):
            uri, local = key[1:].split("}")
            prefix = {NS["epub"]: "epub", "http://www.w3.org/1999/xlink": "xlink",
                      "http://www.w3.org/XML/1998/namespace": "xml"}.get(uri, "ns")
            key = f"{prefix}:{local}"
        out[key] = value
    return out


def unsafe_problems(package: Package) -> list[str]:
    """What the site's sanitiser would refuse in a chapter, scripts anywhere, web chrome, embedded fonts."""
    problems = []
    for path in package.documents():
        name = path.relative_to(package.base).as_posix()
        tree = etree.parse(str(path))
        if tree.find(".//x:script", NS) is not None:
            problems.append(f"{name}: has a <script>")
        body = tree.find(".//x:body", NS)
        for el in body.iter() if body is not None else ():
            if not isinstance(el.tag, str):
                continue
            local = etree.QName(el).localname
            problems += [f"{name}: {message}" for message, _ in element_problems(local, attributes(el))]
            if any(c.startswith("md-") for c in (el.get("class") or "").split()):
                problems.append(f"{name}: web chrome ({el.get('class')})")
    for item in package.manifest.values():
        href, media_type = item.get("href"), item.get("media-type") or ""
        if FONT_TYPES.match(media_type) or re.search(r"\.(ttf|otf|woff2?)$", href):
            problems.append(f"{href}: an embedded font")
        if {"scripted", "remote-resources"} & set((item.get("properties") or "").split()):
            problems.append(f"{href}: scripted or remote resources")
    return problems


def metadata_problems(package: Package) -> list[str]:
    """Title, language, authors, licence, modified date, identifier, accessibility metadata, cover."""
    problems = [f"no dc:{name}" for name in ("title", "language", "creator", "rights", "identifier")
                if not any(package.dc(name))]
    problems += [f"no {prop}" for prop in ("dcterms:modified", *A11Y) if not any(package.meta(prop))]
    if not any("cover-image" in (item.get("properties") or "").split() for item in package.manifest.values()):
        problems.append("no cover image")
    return problems


def image_problems(package: Package) -> list[str]:
    """Images without alt text, and SVG diagrams without a <title> and a <desc>."""
    problems = []
    for path in package.documents():
        for img in etree.parse(str(path)).iter(f"{{{NS['x']}}}img"):
            if not (img.get("alt") or "").strip():
                problems.append(f"{path.name}: image {img.get('src')} has no alt text")
    for item in package.manifest.values():
        if item.get("media-type") == "image/svg+xml":
            svg = etree.parse(str(package.base / item.get("href"))).getroot()
            for part in ("title", "desc"):
                element = svg.find(f"{{http://www.w3.org/2000/svg}}{part}")
                if element is None or not "".join(element.itertext()).strip():
                    problems.append(f"{item.get('href')}: no <{part}>")
    return problems


def book_text(package: Package) -> str:
    """The text of every document in the spine."""
    return "\n".join(BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").get_text(" ")
                     for path in package.spine if path.suffix == ".xhtml")


# ---- The real EPUB ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def epub_book(book_site, tmp_path_factory):
    """Build the EPUB once from the session's site; yield (epub file, unpacked Package)."""
    tmp = shared_run(tmp_path_factory, "epub", lambda folder: [
        str(ROOT / "scripts" / "build_epub.py"), "--site", str(book_site), "--out", str(folder / "handbook.epub")])
    out = tmp / "handbook.epub"
    yield out, Package(unpack(out, tmp_path_factory.mktemp("epub") / "unpacked"))


def expected_nav(config_file: Path, site: Path) -> list[tuple[int, str]]:
    """(level, title) per nav section and built page in the book, in nav order, read from mkdocs.yml."""
    config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=book.LenientLoader)
    rules = book.load_rules()
    entries = []

    def title_of(src: str) -> str | None:
        stem = Path(src).with_suffix("")
        page = site / (stem.parent if stem.name == "index" else stem) / "index.html"
        if not page.is_file():
            return None
        return norm(BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one("article h1")
                    .get_text(" ", strip=True).removesuffix("¶"))

    for item in config["nav"]:
        title, value = next(iter(item.items())) if isinstance(item, dict) else (None, item)
        if isinstance(value, list):
            pages = [p.src for p in book.read_nav(value) if not book.left_out(p.src, rules)]
            if pages:
                entries.append((1, norm(title)))
                entries += [(2, t) for t in map(title_of, pages) if t]
        elif not book.left_out(value, rules) and title_of(value):
            entries.append((1, title_of(value)))
    return entries + [(1, "Abbreviations")]


@pytest.mark.slow
def test_epubcheck_finds_no_error_and_no_warning(epub_book):
    command = epubcheck_command()
    if command is None:
        helpers.unavailable("EPUBCheck not found: install the Debian packages epubcheck and a Java runtime "
                            "(.ci/run does with CI=true)")
    assert epubcheck_problems(epub_book[0], command) == []


@pytest.mark.slow
def test_nav_matches_the_site_nav(epub_book, book_site):
    package = epub_book[1]
    assert [(level, title) for level, title, _ in nav_entries(package)] == expected_nav(ROOT / "mkdocs.yml", book_site)


@pytest.mark.slow
def test_every_nav_page_is_in_the_spine_in_nav_order(epub_book):
    package = epub_book[1]
    assert spine_problems(package) == []
    assert package.spine[0].name == "cover.xhtml", "the cover comes first"
    chapters = [p for p in package.spine if p.name.startswith("page-")]
    assert len(chapters) == len(set(chapters)), "a chapter is in the spine twice"


@pytest.mark.slow
def test_every_link_and_note_resolves_inside_the_book(epub_book):
    package = epub_book[1]
    assert link_problems(package) == []
    notes = [a for path in package.documents() for a in etree.parse(str(path)).iter(f"{{{NS['x']}}}a")
             if "noteref" in (a.get(EPUB_TYPE) or "")]
    assert notes, "no footnote became an EPUB note"


@pytest.mark.slow
def test_nothing_the_sanitiser_refuses_no_scripts_no_fonts(epub_book):
    assert unsafe_problems(epub_book[1]) == []


@pytest.mark.slow
def test_metadata_and_accessibility_metadata(epub_book):
    package = epub_book[1]
    assert metadata_problems(package) == []
    config = book.load_config(ROOT / "mkdocs.yml")
    assert package.dc("title") == [config["site_name"]]
    assert package.dc("language") == ["en"]
    assert "none" in package.meta("schema:accessibilityHazard")


@pytest.mark.slow
def test_diagrams_keep_their_titles_and_descriptions(epub_book):
    package = epub_book[1]
    assert image_problems(package) == []
    diagrams = [i for i in package.manifest.values() if i.get("media-type") == "image/svg+xml"]
    assert len(diagrams) >= 5, "the diagrams are missing"


@pytest.mark.slow
def test_no_web_only_wording_in_the_epub(epub_book):
    assert book.web_only_wording(norm(book_text(epub_book[1]))) == []


@pytest.mark.slow
def test_glossary_templates_and_abbreviations_are_in_the_book(epub_book):
    names = [path.name for path in epub_book[1].spine]
    assert "page-glossary.xhtml" in names and "page-abbreviations.xhtml" in names
    assert any(name.startswith("page-templates-") for name in names)
    assert not any(name.startswith("page-contributing") for name in names)


# ---- Each checker can fail (tests/fixtures/bad-epub/) -----------------------------------------

@pytest.fixture()
def bad_book(tmp_path):
    epub_file = pack(BAD, tmp_path / "bad.epub")
    return epub_file, Package(unpack(epub_file, tmp_path / "unpacked"))


@pytest.mark.slow
def test_epubcheck_reports_the_bad_epub(bad_book):
    command = epubcheck_command()
    if command is None:
        helpers.unavailable("EPUBCheck not found: install the Debian packages epubcheck and a Java runtime")
    problems = epubcheck_problems(bad_book[0], command)
    codes = {p.split(":")[0] for p in problems}
    assert {"ERROR(RSC-007)", "ERROR(RSC-012)"} <= codes, problems  # the missing chapter, the missing anchor


def test_checkers_catch_the_bad_epub(bad_book):
    package = bad_book[1]
    assert spine_problems(package) == ["'Chapter one' comes earlier in the spine than in the nav",
                                       "'Chapter three' is in the nav but not in the spine"]
    assert link_problems(package) == [
        "nav.xhtml: ch3.xhtml is not in the book",
        "ch1.xhtml: ch2.xhtml#nowhere has no target",
        "ch1.xhtml: note reference #not-a-note does not point at a footnote",
        "ch2.xhtml: footnote lonely-note is called nowhere"]
    assert unsafe_problems(package) == [
        "ch1.xhtml: has a <script>",
        "ch1.xhtml: web chrome (md-nav)",
        "ch1.xhtml: event-handler attribute onclick= is not allowed",
        "ch1.xhtml: <script> element is not allowed",
        "ch1.xhtml: scripted or remote resources",
        "fonts/handbook.ttf: an embedded font"]
    assert metadata_problems(package) == ["no dc:creator", "no dc:rights", "no schema:accessMode",
                                          "no schema:accessModeSufficient", "no schema:accessibilityFeature",
                                          "no schema:accessibilityHazard", "no schema:accessibilitySummary",
                                          "no cover image"]
    assert image_problems(package) == ["ch1.xhtml: image images/diagram.svg has no alt text",
                                       "images/diagram.svg: no <desc>"]
    wording = book.web_only_wording(norm(book_text(package)))
    assert len(wording) == 1 and "Hover over an abbreviation" in wording[0]


@pytest.mark.parametrize(("ci", "outcome"), [(True, "1 failed"), (False, "1 skipped")])
def test_missing_epubcheck_fails_in_ci_and_skips_locally(tmp_path, ci, outcome):
    env = {**helpers.ENV, "HANDBOOK_EPUBCHECK": str(tmp_path / "no-epubcheck.jar"), "CI": "true" if ci else "false"}
    env.pop("PYTEST_ADDOPTS", None)
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-rA", "-p", "no:cacheprovider",
                             "tests/test_epub.py::test_epubcheck_reports_the_bad_epub"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    summary = result.stdout.strip().splitlines()[-1]
    assert re.fullmatch(rf"{outcome} in [\d.]+s", summary), result.stdout[-2000:]
    assert "EPUBCheck not found" in result.stdout
