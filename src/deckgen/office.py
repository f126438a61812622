"""LibreOffice as a renderer: a deck converted to PDF by `soffice --headless`, in a private profile per run."""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from .errors import RenderError

TIMEOUT = 180  # s


def soffice() -> str | None:
    """The LibreOffice program, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(data: bytes, suffix: str = ".pptx") -> bytes:
    """The document's PDF as LibreOffice renders it. Each run has its own user profile (-env:UserInstallation), so runs
    in parallel, or beside an open LibreOffice, never share or lock one. Raises RenderError when it cannot."""
    program = soffice()
    if program is None:
        raise RenderError("LibreOffice (soffice) is not installed — install it (Debian: libreoffice-impress) or drop --exact")
    with tempfile.TemporaryDirectory(prefix="deckgen-office-") as tmp:
        work = Path(tmp)
        src = work / f"deck{suffix}"
        src.write_bytes(data)
        cmd = [program, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless", "--norestore",
               "--convert-to", "pdf", "--outdir", str(work / "out"), str(src)]
        try:
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=TIMEOUT, check=False)
        except subprocess.TimeoutExpired:
            raise RenderError(f"LibreOffice did not finish converting the deck within {TIMEOUT} s") from None
        out = work / "out" / "deck.pdf"
        if not out.is_file():
            raise RenderError("LibreOffice could not convert the deck to PDF — try opening it in LibreOffice Impress")
        return out.read_bytes()
