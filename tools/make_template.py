"""Build the bundled assets/templates files once: the built-in policy template (.pptx) and the neutral logo (PNG)."""
from __future__ import annotations

import io
import sys
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from deckgen.layout.geometry import default_geometry  # noqa: E402
from deckgen.theme import load_theme  # noqa: E402
from deckgen.typeset import typesetting  # noqa: E402
from deckgen.writers.pptx import make_builtin_template  # noqa: E402


def logo_png(primary: str, accent: str) -> bytes:
    """A neutral monogram-free mark: a navy square with three white bars and a red rule, 120 x 120 px."""
    rgb = lambda h: tuple(int(h[i : i + 2], 16) for i in (0, 2, 4))  # noqa: E731
    im = Image.new("RGB", (120, 120), rgb(primary))
    d = ImageDraw.Draw(im)
    for k, w in enumerate((72, 56, 40)):
        d.rectangle([24, 26 + k * 22, 24 + w, 36 + k * 22], fill=(255, 255, 255))
    d.rectangle([24, 96, 96, 100], fill=rgb(accent))
    buf = io.BytesIO()
    im.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def main() -> None:
    theme = load_theme()
    out = ROOT / "assets" / "templates"
    out.mkdir(parents=True, exist_ok=True)
    (out / "deckgen-policy.pptx").write_bytes(make_builtin_template(default_geometry(typesetting(theme, system_fonts=False)), theme))
    (out / "logo.png").write_bytes(logo_png(theme.primary, theme.accent))
    print(out)


if __name__ == "__main__":
    main()
