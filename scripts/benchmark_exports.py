"""Time the two downloads and print their figures: PDF build time, pages and size; offline zip size.

Builds both into a temporary folder (build/download/ is left alone) with the real
scripts, as `make pdf` and `make offline` would. Targets: PDF in under 30 s and
under 5 MB on 2 cores.

Usage: python scripts/benchmark_exports.py
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader

SCRIPTS = Path(__file__).resolve().parent
PDF_SECONDS, PDF_MB = 30, 5


def timed(*command: str) -> float:
    """Run a command quietly; return its wall-clock seconds."""
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        pdf, zip_file = Path(tmp) / "handbook.pdf", Path(tmp) / "handbook-offline.zip"
        pdf_seconds = timed(sys.executable, str(SCRIPTS / "build_pdf.py"), "--out", str(pdf))
        zip_seconds = timed(sys.executable, str(SCRIPTS / "build_offline.py"), "--out", str(zip_file))
        pages, pdf_mb, zip_mb = len(PdfReader(pdf).pages), pdf.stat().st_size / 1e6, zip_file.stat().st_size / 1e6
    ok = pdf_seconds < PDF_SECONDS and pdf_mb < PDF_MB
    print(f"cores            {os.cpu_count()}")
    print(f"PDF build time   {pdf_seconds:.1f} s   (target < {PDF_SECONDS} s)")
    print(f"PDF pages        {pages}")
    print(f"PDF size         {pdf_mb:.2f} MB   (target < {PDF_MB} MB)")
    print(f"offline build    {zip_seconds:.1f} s")
    print(f"offline zip size {zip_mb:.2f} MB")
    print("within targets" if ok else "OVER TARGET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
