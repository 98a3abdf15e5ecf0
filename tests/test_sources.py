"""Tests for scripts/ingest_sources.py: the sanitiser, determinism, and the committed files.

The real malicious host is never written here. The payload guard runs everywhere from the
SHA-256 hashes the registry commits; the tests marked raw_sources read the raw pages
(../shared/sources or HANDBOOK_SOURCES), say so in the log, and fail under CI=true when
the folder is missing.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import yaml  # noqa: E402

import ingest_sources as ing  # noqa: E402
from helpers import raw_sources  # noqa: E402
from originality import load_fingerprints  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "sources"
COMPROMISED = "002_1d66d1a03cc32040.txt"
URL = re.compile(r"https?://|www\.", re.I)
BLOB = re.compile(r"[A-Za-z0-9+/]{40,}")
HEX = re.compile(r"[0-9a-f]+")
FORBIDDEN = ("<script", "base64", "atob", "add_action")
needs_real = pytest.mark.raw_sources
SKIP_DIRS = {".git", ".venv", "node_modules", "site", "build", "__pycache__", ".pytest_cache"}


def blobs(text: str) -> list[str]:
    """Base64-looking runs of 40+ characters, ignoring hex digests such as sha256 values."""
    return [b for b in BLOB.findall(text) if not HEX.fullmatch(b)]


def kinds_by_line(findings):
    return {(f.kind, f.line) for f in findings}


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_fixture_injection_spam_and_debris_are_removed():
    clean, found = ing.sanitise(read(FIXTURES / "000_injected.txt"))
    assert {("script-injection", 1), ("encoded-payload", 1), ("widget-debris", 3),
            ("markup", 6), ("spam-link", 7), ("tracking-link", 8), ("widget-debris", 9),
            ("widget-debris", 11), ("widget-debris", 12)} <= kinds_by_line(found)
    injection = next(f for f in found if f.kind == "script-injection" and f.target)
    assert injection.target == "https://evil.example/x.js"
    assert sum(f.kind == "encoded-payload" for f in found) == 2  # base64, then atob
    spam = next(f for f in found if f.kind == "spam-link")
    assert spam.target.startswith("https://cheap-jobs.example/")
    for bad in (*FORBIDDEN, "evil.example", "cheap-jobs", "utm_", "<b>", "Blog Details",
                "Leave a comment", "Share this", "You may also like", "Ten Roadmap"):
        assert bad not in clean
    assert not URL.search(clean) and not blobs(clean)
    assert clean.splitlines()[0] == "Choosing What to Build Next – Example Learning Hub"
    assert "it’s the easiest habit" in clean and "Product discovery starts" in clean


def test_clean_page_is_only_normalised():
    raw = read(FIXTURES / "001_clean.txt")
    clean, found = ing.sanitise(raw)
    assert found == []
    assert clean == ing.normalise(raw)
    assert ing.words(clean) == ing.words(raw)
    assert "\n\n\n" not in clean and "  " not in clean and clean.endswith(".\n")


def test_reasons_never_contain_the_target():
    _, found = ing.sanitise(read(FIXTURES / "000_injected.txt"))
    assert all(not URL.search(f.reason) for f in found)


def test_ingest_is_deterministic(tmp_path):
    metadata = ing.load_metadata()
    snapshots = []
    for _ in range(2):
        outputs, _ = ing.build(FIXTURES, metadata, tmp_path)
        ing.write(outputs)
        snapshots.append({p.name: p.read_bytes() for p in sorted(tmp_path.iterdir())})
    assert snapshots[0] == snapshots[1]
    assert set(snapshots[0]) == {"registry.yml", "fingerprints.txt"}
    for data in snapshots[0].values():
        text = data.decode("utf-8")
        assert "evil.example" not in text
        assert not URL.search(text) and not blobs(text)
    assert "script-injection: 2" in snapshots[0]["registry.yml"].decode()


@needs_real
def test_real_injection_and_spam_link_are_reported():
    _, found = ing.sanitise(read(raw_sources() / COMPROMISED))
    injection = [f for f in found if f.kind == "script-injection" and f.target]
    assert injection and injection[0].line == 1
    assert injection[0].target.startswith("https://") and injection[0].target.endswith(".js")
    assert any(f.kind == "encoded-payload" for f in found)
    assert any(f.kind == "spam-link" and f.target.startswith("http") for f in found)


@needs_real
def test_real_sanitised_text_has_no_code_or_urls():
    for path in sorted(raw_sources().glob("*.txt")):
        clean, _ = ing.sanitise(read(path))
        assert not any(bad in clean for bad in FORBIDDEN), path.name
        assert not URL.search(clean) and not blobs(clean), path.name


@needs_real
def test_committed_registry_and_fingerprints_match_raw_files(capsys):
    REAL = raw_sources()
    outputs, _ = ing.build(REAL, ing.load_metadata())
    assert ing.stale(outputs) == [], "re-run: python scripts/ingest_sources.py"
    assert ing.main(["--sources", str(REAL), "--check"]) == 0
    capsys.readouterr()  # the report names the malicious target; keep it out of test logs
    registry = read(ing.REGISTRY)
    for path in sorted(REAL.glob("*.txt")):
        assert ing.hashlib.sha256(path.read_bytes()).hexdigest() in registry
    known = load_fingerprints()
    for path in sorted(REAL.glob("*.txt")):
        assert ing.fingerprints(ing.sanitise(read(path))[0]) <= known


def repository_files():
    for path in sorted(ROOT.rglob("*")):
        if path.is_file() and not SKIP_DIRS & set(path.relative_to(ROOT).parts):
            yield path


def carriers(guard: set[str], files) -> list[str]:
    """Files holding a host name or base64 blob whose SHA-256 is in `guard`."""
    return [str(path) for path in files
            if {ing.sha256_text(t) for t in ing.guard_tokens(path.read_bytes().decode("utf-8", "replace"))} & guard]


def test_no_repository_file_carries_the_payload_or_links():
    """Runs from the committed hashes, in any CI: no raw page needed."""
    registry = yaml.safe_load(read(ing.REGISTRY))
    guard = {h for source in registry["sources"] for h in source.get("payload_sha256", [])}
    assert len(guard) >= 2, "the registry must hold the hashes of the injected host and the spam host"
    assert carriers(guard, repository_files()) == []


def test_payload_guard_finds_a_planted_host_and_blob(tmp_path):
    raw = read(FIXTURES / "000_injected.txt")
    _, found = ing.sanitise(raw)
    guard = set(ing.payload_hashes(raw, found))
    host = tmp_path / "leaked-host.md"
    host.write_text("See https://EVIL.example/x.js for details.\n", encoding="utf-8")
    blob = tmp_path / "leaked-blob.txt"
    blob.write_text(next(b for b in blobs(raw)) + "\n", encoding="utf-8")
    clean = tmp_path / "clean.md"
    clean.write_text("Nothing to see at example.org.\n", encoding="utf-8")
    assert carriers(guard, [host, blob, clean]) == [str(host), str(blob)]


def test_committed_source_files_have_no_urls_or_blobs():
    for path in (ing.REGISTRY, ing.FINGERPRINTS, ing.METADATA):
        text = read(path)
        assert not URL.search(text), path.name
        assert not blobs(text), path.name
    assert all(re.fullmatch(r"[0-9a-f]{16}", ln) for ln in read(ing.FINGERPRINTS).splitlines()
               if not ln.startswith("#"))
