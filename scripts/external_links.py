"""List every outside address the handbook points to, one per line, for a link checker.

The addresses are those of the outside references (sources/references.yml) and the
outbound links of every page (each Markdown page rendered with the site's own
extensions, so links made with attr_list or md_in_html count too). `make links` feeds
the list to lychee; the weekly workflow turns lychee's report into an issue.

Usage: python scripts/external_links.py [--out FILE] [--docs DOCS_DIR] [--references YAML]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml
from bs4 import BeautifulSoup

from check_html import markdown_renderer
from check_markdown import ROOT, markdown_files, split_front_matter


def reference_urls(path: Path) -> set[str]:
    """The `url` of every outside reference."""
    refs = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return {str(ref["url"]).strip() for ref in refs if ref.get("url")}


def page_urls(docs: Path) -> set[str]:
    """Every http(s) link and image address on every page, as the site renders it."""
    md = markdown_renderer()
    urls: set[str] = set()
    for page in markdown_files([str(docs)]):
        text = page.read_text(encoding="utf-8")
        _, body = split_front_matter(text)
        md.reset()
        soup = BeautifulSoup(md.convert("\n".join(text.splitlines()[body - 1:])), "html.parser")
        for el in soup.find_all(["a", "img"]):
            url = el.get("href") or el.get("src") or ""
            if url.startswith(("http://", "https://")):
                urls.add(url)
    return urls


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="write the list here (default: print it)")
    parser.add_argument("--docs", type=Path, default=ROOT / "docs")
    parser.add_argument("--references", type=Path, default=ROOT / "sources" / "references.yml")
    args = parser.parse_args(argv)
    urls = sorted(reference_urls(args.references) | page_urls(args.docs))
    text = "".join(f"{url}\n" for url in urls)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
        print(f"{args.out}: {len(urls)} outside addresses")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
