"""Sanitise the raw source pages; write the source registry and fingerprints.

Reads a folder of scraped pages (HANDBOOK_SOURCES, else ../shared/sources beside
the checkout), strips injected code, encoded payloads, spam and tracking links,
markup and widget debris, prints what was removed and why, and writes
sources/registry.yml (merged with the hand-written sources/metadata.yml) and
sources/fingerprints.txt. No raw text, URL or payload is ever written.

Usage: python scripts/ingest_sources.py [--sources DIR] [--check]
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import html
import os
import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from originality import FINGERPRINTS, ROOT, fingerprints, words  # noqa: E402

REGISTRY = ROOT / "sources" / "registry.yml"
METADATA = ROOT / "sources" / "metadata.yml"
SHORTENERS = {"bit.ly", "t.co", "goo.gl", "tinyurl.com", "ow.ly", "buff.ly", "lnkd.in", "is.gd"}
_SMALL = {"a", "an", "and", "as", "at", "by", "for", "from", "in", "is", "of", "on", "or",
          "the", "to", "vs", "with", "you"}


@dataclass(frozen=True)
class Finding:
    """One thing removed from a page: what kind, where, why, and what it pointed at."""
    kind: str
    line: int
    reason: str
    target: str = ""


def default_sources() -> Path:
    """HANDBOOK_SOURCES, or the shared folder beside the checkout."""
    return Path(os.environ.get("HANDBOOK_SOURCES") or ROOT.parent / "shared" / "sources")


def normalise_line(line: str) -> str:
    """Unescape entities, NFC-normalise, collapse whitespace, strip."""
    line = unicodedata.normalize("NFC", html.unescape(line)).replace("\u00a0", " ")
    return " ".join(line.split())


def normalise(text: str) -> str:
    """Normalise every line, keep at most one blank line in a row, end with a newline."""
    lines = [normalise_line(ln) for ln in text.splitlines()]
    out = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
    return out + "\n" if out else ""


def b64_text(blob: str) -> str | None:
    """Decode base64 to printable UTF-8 text, or None."""
    try:
        text = base64.b64decode(blob + "=" * (-len(blob) % 4), validate=True).decode("utf-8")
    except ValueError:  # binascii.Error and UnicodeDecodeError are ValueErrors
        return None
    return text if text and all(c.isprintable() or c.isspace() for c in text) else None


def decode_layers(code: str) -> list[str]:
    """Every nested base64 layer (base64_decode(), atob(), quoted blobs) in code, outermost first."""
    layers, todo = [], [code]
    while todo:
        for blob in re.findall(r"[\"']([A-Za-z0-9+/]{16,}={0,2})[\"']", todo.pop(0)):
            text = b64_text(blob)
            if text:
                layers.append(text)
                todo.append(text)
    return layers


def script_target(texts: list[str]) -> str:
    """The JavaScript URL a piece of decoded code would load ("" if none)."""
    urls = [u for t in texts for u in re.findall(r"https?://[^\s\"'<>()]+", t)]
    return next((u for u in urls if u.endswith(".js")), urls[0] if urls else "")


def describe(text: str) -> str:
    """A safe one-phrase summary of a decoded layer (never the text itself)."""
    if "<script" in text:
        return f"a <script> element ({len(text)} chars)"
    if re.fullmatch(r"https?://\S+", text):
        return "the URL of the script it loads"
    return f"{len(text)} chars of text"


def explain_code(m: re.Match) -> list[tuple[str, str, str]]:
    """Findings for injected code: the code itself plus each encoded layer inside it."""
    layers = decode_layers(m.group(0))
    target = script_target([m.group(0), *layers])
    if not (layers or target):
        return [("script-injection", "PHP/JavaScript code pasted into the page text", "")]
    reason = (f"injected code: {len(layers)} nested base64/atob layer(s) build a <script> "
              "that loads third-party JavaScript")
    found = [("script-injection", reason, target)]
    found += [("encoded-payload", f"base64 layer {i} decodes to {describe(t)}", "")
              for i, t in enumerate(layers, 1)]
    return found


def explain_hook(m: re.Match) -> list[tuple[str, str, str]]:
    """Finding for a WordPress add_action() hook."""
    return [("script-injection", "WordPress add_action() hook that runs the injected "
             "function in the page <head>", "")]


def explain_blob(m: re.Match) -> list[tuple[str, str, str]]:
    """Finding for a bare base64 blob, decoded as far as it goes."""
    layers = [t for t in [b64_text(m.group(0))] if t]
    layers += decode_layers(layers[0]) if layers else []
    what = describe(layers[0]) if layers else "binary or undecodable data"
    return [("encoded-payload", f"base64 blob of {len(m.group(0))} chars, decodes to {what}",
             script_target(layers))]


def explain_link(m: re.Match) -> list[tuple[str, str, str]]:
    """Finding for a URL: tracking (utm_, shortener) or spam (off-site link in the prose)."""
    url = m.group(0)
    host = re.sub(r"^(?:https?://)?(?:www\.)?", "", url).split("/")[0].lower()
    if "utm_" in url or "fbclid=" in url or "gclid=" in url:
        return [("tracking-link", "link carrying utm_/click-tracking parameters", url)]
    if host in SHORTENERS:
        return [("tracking-link", "link shortener hiding its destination", url)]
    return [("spam-link", "off-site link spliced into running text (link spam); sources are "
             "cited by registry id, never by scraped links", url)]


def headline_list(m: re.Match) -> list[tuple[str, str, str]]:
    """Finding for a comma list of article headlines, or [] if the items are prose."""
    items = [i for i in re.split(r",\s+", m.group(0).rstrip(".!?")) if i]
    def titled(item: str) -> bool:
        big = [w for w in item.split() if w.lower() not in _SMALL]
        return bool(big) and sum(not w[0].islower() for w in big) >= 0.7 * len(big)
    if sum(map(titled, items)) < 0.8 * len(items):
        return []
    return [("widget-debris", f"list of {len(items)} related-article headlines (recommendation widget)", "")]


def says(kind: str, reason: str):
    """An explainer that always gives one fixed finding."""
    return lambda m: [(kind, reason, "")]


_I = re.I
_TITLE_WORD = r"(?:[A-Z0-9][\w'’-]*|from|to|of|and|the|a|an|in|for|on|with|vs)"
_SMALL_RE = "|".join(sorted(_SMALL))
# (pattern, flags, explainer); applied in order, each match replaced by a space.
RULES = [
    (r"\bfunction\s+\w+\s*\([^)]*\)\s*\{[^{}]*\}", 0, explain_code),
    (r"\badd_action\s*\([^)]*\)\s*;?", 0, explain_hook),
    (r"<script\b.*?</script\s*>", _I, explain_code),
    (r"<!--.*?-->|</?[a-z][^<>]*>", _I, says("markup", "HTML tag or comment")),
    (r"(?:https?://|www\.)[^\s<>\"']+?(?=[.,;:!?)]*(?:\s|$))", _I, explain_link),
    (r"[A-Za-z0-9+/]{40,}={0,2}", 0, explain_blob),
    (r"^Blog Details$", _I, says("widget-debris", "blog template heading")),
    (r"^Leave a (?:Reply|comment)$", _I, says("widget-debris", "comment-form heading")),
    (r"^Your email address will not be published\.?(?: Required fields are marked \*)?$", _I,
     says("widget-debris", "comment-form notice")),
    (r"^\d+\s*(?:コメント|comments?)$", _I, says("widget-debris", "comment counter")),
    (r"^Share (?:this|on)\b.*$", _I, says("widget-debris", "share-buttons widget")),
    (rf"You may also like:\s*(?:{_TITLE_WORD}\s+)*?{_TITLE_WORD}"
     rf"(?=\s+[A-Z][\w'’-]*\s+(?!(?:{_SMALL_RE})\b)[a-z]|[.!?]|$)", 0,
     says("widget-debris", "'You may also like' recommendation widget")),
    (r"\bRelated\s*Read More\b[^.!?]*[.!?]", 0, says("widget-debris", "'Related / Read More' widget")),
    (r"[^.!?]*\b(?:uses cookies|use cookies|cookie policy|you accept our)\b[^.!?]*[.!?]", _I,
     says("widget-debris", "cookie notice")),
    (r"[^.!?]*\bplease use the latest version of\b[^.!?]*[.!?]", _I,
     says("widget-debris", "browser-support notice")),
    (r"\bContact Advertise\.", 0, says("widget-debris", "site navigation menu")),
    (r"(?:Want to [^.!?]*\?\s*)?Subscribe to our newsletter[^.!?]*[.!?]", _I,
     says("advert", "newsletter sign-up call to action")),
    (r"[^.!?]*\bsign up to get a free copy[.!?]", _I, says("advert", "lead-capture call to action")),
    (r"[^.!?]*\bcourse on Udemy[.!?]", _I, says("advert", "course advertisement")),
    (r"^[^.!?]*\bLove ProjectManager$", 0, says("advert", "software vendor advertisement heading")),
    (r"(?<![^\s.!?])(?:[A-Z0-9&][^.!?,]*,\s+){3,}[A-Z0-9&][^.!?,]*[.!?]", 0, headline_list),
    (r"^(?:(?:19|20)\d\d )?[a-z][a-z']*(?: [a-z'’]+){2,}$", 0,
     says("widget-debris", "lower-case search-query line (SEO keywords or image alt text)")),
]
RULES = [(re.compile(p, f), explain) for p, f, explain in RULES]


def sanitise_line(line: str, lineno: int) -> tuple[str, list[Finding]]:
    """Apply every rule to one line; return the cleaned line and what was removed."""
    found: list[Finding] = []

    def cut(m: re.Match, explain) -> str:
        hits = explain(m)
        found.extend(Finding(kind, lineno, reason, target) for kind, reason, target in hits)
        return " " if hits else m.group(0)

    line = normalise_line(line)
    for pattern, explain in RULES:
        line = normalise_line(pattern.sub(lambda m, explain=explain: cut(m, explain), line))
    return line, found


def sanitise(text: str) -> tuple[str, list[Finding]]:
    """Clean a raw page; return (clean text, findings in line order)."""
    kept, found = [], []
    for lineno, raw in enumerate(text.splitlines(), 1):
        line, hits = sanitise_line(raw, lineno)
        found.extend(hits)
        if line or not hits:
            kept.append(line)
    return normalise("\n".join(kept)), found


def load_metadata(path: Path = METADATA) -> dict:
    """Hand-written fields per file name."""
    return (yaml.safe_load(path.read_text(encoding="utf-8")) or {}) if path.exists() else {}


# What the payload guard looks for in every repository file: host names and base64 blobs.
GUARD_TOKEN = re.compile(r"[A-Za-z0-9+/]{40,}|[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                         r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+")
HARMFUL = {"script-injection", "encoded-payload", "spam-link"}


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def guard_tokens(text: str) -> set[str]:
    """Every host name and base64-looking blob in a text, lower-cased hosts included."""
    tokens = set(GUARD_TOKEN.findall(text))
    return tokens | {t.lower() for t in tokens}


def payload_hashes(raw: str, found: list[Finding]) -> list[str]:
    """SHA-256 of each host the injected code or spam links point to, and of each base64 blob.

    Committed in the registry, so the payload guard (tests/test_sources.py) can prove that
    no repository file carries them, in any CI, without the raw pages and without ever
    writing the hosts or blobs themselves into the repository.
    """
    hosts = {urlsplit(f.target).hostname or "" for f in found if f.target and f.kind in HARMFUL}
    hosts |= {h.removeprefix("www.") for h in hosts}
    blobs = {b for b in re.findall(r"[A-Za-z0-9+/]{40,}", raw) if not re.fullmatch(r"[0-9a-f]+", b)}
    return sorted(sha256_text(t) for t in (hosts | blobs) - {""})


def entry(sid: str, path: Path, raw: bytes, clean: str, found: list[Finding], meta: dict) -> dict:
    """One registry entry: metadata merged with hash, word count, finding counts and payload hashes."""
    counts: dict[str, int] = {}
    for f in found:
        counts[f.kind] = counts.get(f.kind, 0) + 1
    fields = ("title", "label", "publisher", "kind", "quality_notes", "topics")
    guard = payload_hashes(raw.decode("utf-8", errors="replace"), found)
    return {"id": sid, "file": path.name, "sha256": hashlib.sha256(raw).hexdigest(),
            "words": len(words(clean)), "findings": counts,
            **({"payload_sha256": guard} if guard else {}),
            **{k: meta.get(k, "unknown") for k in fields}}


def build(sources: Path, metadata: dict, out: Path = ROOT / "sources"
          ) -> tuple[dict[Path, str], list[str]]:
    """The registry and fingerprint files in out (path -> text) and the report lines."""
    entries, prints, report = [], set(), []
    for n, path in enumerate(sorted(sources.glob("*.txt")), 1):
        raw = path.read_bytes()
        clean, found = sanitise(raw.decode("utf-8", errors="replace"))
        entries.append(entry(f"S{n}", path, raw, clean, found, metadata.get(path.name, {})))
        prints |= fingerprints(clean)
        report.append(f"S{n} {path.name}: {len(words(clean))} words kept, {len(found)} removal(s)")
        report += [f"  line {f.line}: {f.kind}: {f.reason}"
                   + (f" -> {'would load' if f.kind == 'script-injection' else 'link to'} {f.target}"
                      if f.target else "") for f in found]
    registry = ("# Generated by scripts/ingest_sources.py from the raw pages and sources/metadata.yml.\n"
                "# Do not edit by hand: edit metadata.yml and re-run the script.\n"
                + yaml.safe_dump({"sources": entries}, sort_keys=True, allow_unicode=True, width=88))
    prints_text = ("# SHA-256 prefixes of every normalised 8-word run in the sanitised sources.\n"
                   "# Generated by scripts/ingest_sources.py; read by scripts/originality.py.\n"
                   + "".join(f"{p}\n" for p in sorted(prints)))
    return {out / REGISTRY.name: registry, out / FINGERPRINTS.name: prints_text}, report


def stale(outputs: dict[Path, str]) -> list[Path]:
    """Files whose committed bytes differ from what the raw folder gives."""
    return [p for p, text in outputs.items()
            if not p.exists() or p.read_bytes() != text.encode("utf-8")]


def write(outputs: dict[Path, str]) -> None:
    """Write every output file as UTF-8 with LF line ends."""
    for path, text in outputs.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=Path, default=None, help="folder of raw pages")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if the committed files are out of date")
    args = parser.parse_args(argv)
    sources = args.sources or default_sources()
    if not sources.is_dir():
        print(f"no source folder at {sources} (set HANDBOOK_SOURCES or use --sources)", file=sys.stderr)
        return 2
    outputs, report = build(sources, load_metadata())
    print("\n".join(report))
    if args.check:
        old = stale(outputs)
        for path in old:
            print(f"out of date: {path.relative_to(ROOT)}", file=sys.stderr)
        return 1 if old else 0
    write(outputs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
