"""The reading checks that need no browser: figure numbering (scripts/check_figures.py)
and the social cards (scripts/social_cards.py), each proved on a failing input."""
from __future__ import annotations

import socket

import check_figures
import pytest
import social_cards
from PIL import Image

from helpers import FIXTURES, ROOT, run

BAD = FIXTURES / "bad-figures"


def test_every_diagram_is_a_figure_numbered_in_nav_order():
    assert check_figures.check(ROOT / "mkdocs.yml") == []


def test_the_handbook_has_numbered_figures_in_every_part():
    """The check is not vacuous: every part has figures, found and numbered."""
    config = check_figures.load(ROOT / "mkdocs.yml")
    numbers = [n for rel, part in check_figures.nav_pages(config["nav"]) if part
               for _, _, _, n in check_figures.figures(ROOT / "docs" / rel)]
    parts = {n.split(".")[0] for n in numbers}
    assert len(numbers) >= 10 and parts == {"1", "2", "3", "4", "5"}, numbers


def test_figure_check_fails_on_the_bad_fixture():
    result = run("python", "scripts/check_figures.py", str(BAD / "mkdocs.yml"))
    assert result.returncode == 1
    docs = BAD / "docs"
    expected = [
        f"{docs}/index.md:3: figure 1.1 is on a page outside the parts",
        f"{docs}/alpha/index.md:9: diagram alpha-bare.svg has no caption block right after it",
        f"{docs}/alpha/two.md:5: figure 1.3 should be 1.2",
        f"{docs}/alpha/two.md:11: figure 2.1 should be 1.3",
        f"{docs}/beta/index.md:5: figure caption without a number",
    ]
    lines = result.stdout.splitlines()
    assert len(lines) == len(expected), result.stdout
    for want, line in zip(expected, lines, strict=True):
        assert line.startswith(want), (want, line)
    assert "example.svg" not in result.stdout  # a diagram in a code block is an example, not a figure


# --- social cards -------------------------------------------------------------

SITE_URL = "https://example.org/book/"


def fake_page(site, rel: str, title: str, section: str = "", image: str | None = None) -> None:
    path = site / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    name = rel.rsplit("/", 1)[0] if "/" in rel else "index"
    image = image or f"{SITE_URL}assets/images/social/{name}.png"
    tags = [f'<meta property="og:title" content="{title}">', '<meta property="og:site_name" content="A Book">',
            f'<meta property="og:image" content="{image}">']
    if section:
        tags.append(f'<meta property="article:section" content="{section}">')
    path.write_text(f"<html><head>{''.join(tags)}</head><body><h1>{title}</h1></body></html>", encoding="utf-8")


@pytest.fixture()
def no_network(monkeypatch):
    """Any attempt to open a connection fails the test."""
    def refuse(*args, **kwargs):
        raise AssertionError("the card script tried to use the network")
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_cards_are_drawn_offline_one_per_page(tmp_path, no_network):
    site = tmp_path / "site"
    fake_page(site, "index.html", "A Book")
    fake_page(site, "one/index.html", "Influencing without authority", "Part 3: EQ skills")
    fake_page(site, "two/index.html", "A title long enough to wrap over two or three lines on the card",
              "Part 5: Getting hired")
    (site / "no-card.html").write_text("<html><head></head><body></body></html>", encoding="utf-8")
    assert social_cards.write_cards(site, SITE_URL, cache=tmp_path / "cache") == 3
    cards = sorted((site / "assets" / "images" / "social").glob("*.png"))
    assert [c.name for c in cards] == ["index.png", "one.png", "two.png"]
    for card in cards:
        with Image.open(card) as image:
            assert image.format == "PNG" and image.size == (1200, 630)
            assert image.mode == "P" and len(image.getcolors(256) or []) > 4  # a palette; text, not a flat rectangle
            assert len(image.getcolors(256)) <= social_cards.COLOURS
    assert len({c.read_bytes() for c in cards}) == 3
    # a second build copies from the cache: same files
    before = {c.name: c.read_bytes() for c in cards}
    assert social_cards.write_cards(site, SITE_URL, cache=tmp_path / "cache") == 3
    assert before == {c.name: c.read_bytes() for c in cards}


def test_a_card_outside_the_site_is_refused(tmp_path):
    site = tmp_path / "site"
    fake_page(site, "index.html", "A Book", image="https://elsewhere.example/card.png")
    with pytest.raises(social_cards.CardError, match="not under site_url"):
        social_cards.write_cards(site, SITE_URL, cache=tmp_path / "cache")


def test_without_the_font_the_cards_stop_with_a_clear_message(tmp_path):
    site = tmp_path / "site"
    fake_page(site, "index.html", "A Book")
    result = run("python", "scripts/social_cards.py", str(site), "--site-url", SITE_URL,
                 env={"HANDBOOK_CARD_FONTS": str(tmp_path / "no-fonts")})
    assert result.returncode == 1
    assert "DejaVu Sans" in result.stderr and "fonts-dejavu-core" in result.stderr, result.stderr
    assert not (site / "assets").exists()
