"""Draw the social card (the link-preview image) of every page of a built site, offline.

overrides/main.html gives every page Open Graph and Twitter meta tags: og:title,
og:description, og:type, og:url, og:image (absolute, under site_url), article:section
(the part) and twitter:card=summary_large_image. This script runs after the build,
whatever engine built it (hooks/social_cards.py for MkDocs; scripts/site_build.py for
Zensical), reads those tags from each page and draws the PNG that og:image names:
1200 x 630 px, the site name, the part and the page title on the handbook's indigo.

No network and no font download: Pillow draws with DejaVu Sans from the system
(Debian/Ubuntu package fonts-dejavu-core, installed in CI), or from the folder named by
HANDBOOK_CARD_FONTS. Without it the script stops and says so. Cards are cached in
build/cache/social/ under a hash of what they show, so a rebuild only copies them.

Usage: python scripts/social_cards.py SITE_DIR [--site-url URL]
       (site_url from mkdocs.yml by default)
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "build" / "cache" / "social"
SIZE = (1200, 630)
VERSION = 2  # change when the drawing changes, so cached cards are redrawn
FONT_FILES = {"regular": "DejaVuSans.ttf", "bold": "DejaVuSans-Bold.ttf"}
FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/share/fonts/TTF",
             "/usr/share/fonts/dejavu-sans-fonts", "/usr/local/share/fonts", "/opt/homebrew/share/fonts",
             "/Library/Fonts", str(Path.home() / "Library" / "Fonts"), str(Path.home() / ".local/share/fonts"))
# The palette of the site (Material's indigo) and the card's layout.
BACKGROUND = (48, 63, 159)      # indigo 700: white text on it is 8.6:1
BAND = (83, 109, 254)           # indigo A200, the accent stripe
WHITE = (255, 255, 255)
PALE = (197, 202, 233)          # indigo 100, for the part and the address
MARGIN = 80
COLOURS = 16  # the card's palette (BENCHMARKS.md, "Deployed site")


class CardError(Exception):
    """A card cannot be drawn (no font, a page without tags); the message says what to do."""


class _Meta(HTMLParser):
    """The <meta property|name=... content=...> tags of a page's <head>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        if tag == "meta":
            attrs = dict(attrs)
            key = attrs.get("property") or attrs.get("name")
            if key and "content" in attrs:
                self.tags.setdefault(key, attrs["content"] or "")

    def handle_endtag(self, tag):
        if tag == "head":
            raise _HeadDone


class _HeadDone(Exception):
    pass


def page_meta(html: str) -> dict[str, str]:
    """The meta tags of one page (read up to the end of <head>)."""
    parser = _Meta()
    try:
        parser.feed(html)
    except _HeadDone:
        pass
    return parser.tags


def font_dir() -> Path:
    """The folder holding DejaVu Sans (regular and bold), or CardError saying how to get it."""
    wanted = os.environ.get("HANDBOOK_CARD_FONTS")
    for folder in ([wanted] if wanted else FONT_DIRS):
        if all((Path(folder) / name).is_file() for name in FONT_FILES.values()):
            return Path(folder)
    where = f"HANDBOOK_CARD_FONTS={wanted}" if wanted else "the usual font folders"
    raise CardError(f"social cards: DejaVu Sans ({', '.join(FONT_FILES.values())}) not found in {where}. "
                    "Install it (Debian/Ubuntu: apt-get install fonts-dejavu-core; Fedora: "
                    "dejavu-sans-fonts; macOS: brew install --cask font-dejavu), or set "
                    "HANDBOOK_CARD_FONTS to a folder that has both files. No font is downloaded.")


def _wrap(draw, text: str, font, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if line and draw.textlength(trial, font=font) > width:
            lines.append(line)
            line = word
        else:
            line = trial
    return [*lines, line] if line else lines


def draw_card(title: str, section: str, site_name: str, address: str, fonts: Path, description: str = ""):
    """The card as a Pillow image: site name, part, title (as large as fits), address.
    The home page (title = site name) shows its description under the title instead."""
    from PIL import Image, ImageDraw, ImageFont

    def font(kind: str, size: int):
        return ImageFont.truetype(str(fonts / FONT_FILES[kind]), size)

    image = Image.new("RGB", SIZE, BACKGROUND)
    draw = ImageDraw.Draw(image)
    width = SIZE[0] - 2 * MARGIN
    draw.rectangle((0, 0, 24, SIZE[1]), fill=BAND)
    home = title == site_name
    top = 70
    if not home:
        draw.text((MARGIN, top), site_name, font=font("bold", 36), fill=WHITE)
        top += 80
    if section:
        draw.text((MARGIN, top), section.upper(), font=font("regular", 30), fill=PALE)
        top += 60
    bottom = SIZE[1] - 110
    for size in (72, 64, 56, 48, 42):  # the largest size at which the title fits
        title_font = font("bold", size)
        lines = _wrap(draw, title, title_font, width)
        height = int(size * 1.2) * len(lines)
        if top + height <= bottom and all(draw.textlength(ln, font=title_font) <= width for ln in lines):
            break
    y = top
    for line in lines:
        draw.text((MARGIN, y), line, font=title_font, fill=WHITE)
        y += int(size * 1.2)
    if home and description:
        text_font = font("regular", 32)
        lines = _wrap(draw, description, text_font, width)
        room = max(0, (bottom - y - 20) // 44)
        if len(lines) > room:
            lines = lines[:room]
            lines[-1] = lines[-1].rstrip(",.;:") + " ..."
        y += 20
        for line in lines:
            draw.text((MARGIN, y), line, font=text_font, fill=PALE)
            y += 44
    draw.line((MARGIN, SIZE[1] - 90, SIZE[0] - MARGIN, SIZE[1] - 90), fill=BAND, width=3)
    draw.text((MARGIN, SIZE[1] - 70), address, font=font("regular", 28), fill=PALE)
    return image


def card_path(site: Path, site_url: str, image_url: str) -> Path:
    """Where og:image's file lives in the built site."""
    if not image_url.startswith(site_url):
        raise CardError(f"og:image {image_url} is not under site_url {site_url}")
    rel = image_url[len(site_url):]
    target = (site / rel).resolve()
    if site.resolve() not in target.parents or not rel.endswith(".png"):
        raise CardError(f"og:image {image_url} does not name a PNG file inside the site")
    return target


def write_cards(site: Path, site_url: str, *, cache: Path = CACHE) -> int:
    """Draw (or copy from the cache) the card of every page that names one; return how many."""
    fonts = font_dir()
    address = site_url.split("://", 1)[-1].rstrip("/")
    fingerprint = {name: (fonts / f).stat().st_size for name, f in FONT_FILES.items()}
    count = 0
    for page in sorted(site.rglob("*.html")):
        meta = page_meta(page.read_text(encoding="utf-8", errors="replace"))
        if "og:image" not in meta:
            continue
        title = meta.get("og:title", "").strip()
        if not title:
            raise CardError(f"{page}: og:image without og:title")
        target = card_path(site, site_url, meta["og:image"])
        site_name, section = meta.get("og:site_name", ""), meta.get("article:section", "")
        description = meta.get("og:description", "") if title == site_name else ""
        shown = [VERSION, title, section, site_name, address, description, fingerprint]
        key = hashlib.sha256(json.dumps(shown).encode("utf-8")).hexdigest()[:24]
        cached = cache / f"{key}.png"
        if not cached.exists():
            cache.mkdir(parents=True, exist_ok=True)
            image = draw_card(title, section, site_name, address, fonts, description)
            partial = cached.with_suffix(".part")
            # Four flat colours and their anti-aliased edges: 16 colours (a 4-bit palette PNG)
            # keep the text sharp; 12 KiB a card on average (64 colours: 13 KiB).
            image.quantize(colors=COLOURS).save(partial, format="PNG", optimize=True)
            partial.replace(cached)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(cached, target)
        count += 1
    return count


def configured_site_url(config: Path = ROOT / "mkdocs.yml") -> str:
    import site_config
    url = site_config.load(config).get("site_url") or ""
    return url if url.endswith("/") else url + "/"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--site-url", help="default: site_url in mkdocs.yml")
    args = parser.parse_args(argv)
    site_url = args.site_url or configured_site_url()
    try:
        count = write_cards(args.site, site_url if site_url.endswith("/") else site_url + "/")
    except CardError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"social cards: {count} written into {args.site}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
