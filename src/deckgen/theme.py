"""The look shared by deck, brief and charts: colours, fonts, sizes in points, asset paths."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .errors import AssetError
from .units import Colour, Pt


def assets_dir() -> Path:
    """The bundled assets: inside the installed package, else the source checkout's `assets/`."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "assets", here.parent.parent / "assets"):
        if (candidate / "fonts").is_dir():
            return candidate
    raise AssetError("deckgen's bundled assets folder is missing — reinstall deckgen")


def default_outline() -> Path:
    """The bundled default outline (the U.S.-Japan bulletin)."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "outlines", here.parent.parent / "outlines"):
        path = candidate / "us-japan-2024.yaml"
        if path.is_file():
            return path
    raise AssetError("deckgen's bundled default outline is missing — reinstall deckgen")


def builtin_template() -> Path:
    """The built-in sober policy-institute template (made by tools/make_template.py)."""
    return assets_dir() / "templates" / "deckgen-policy.pptx"


def builtin_logo() -> Path:
    """The bundled neutral logo shown on every content slide unless the outline names its own."""
    return assets_dir() / "templates" / "logo.png"


@dataclass(frozen=True)
class FontFamily:
    """A font family: the name documents declare and the four TrueType files we embed and measure with."""

    name: str  # the family name as written into documents
    regular: Path
    bold: Path
    italic: Path
    bold_italic: Path


@dataclass(frozen=True)
class Theme:
    """Colours (`Colour`, 'RRGGBB') and sizes in points (`Pt`); plain strings and floats are converted on creation."""

    name: str
    font: FontFamily
    deck_font_name: str  # the family the deck declares (metric-compatible with `font`)
    primary: Colour = Colour("1F3A5F")  # deep navy: titles, masthead
    accent: Colour = Colour("C8102E")  # signal red: rules, target lines
    text: Colour = Colour("222222")
    muted: Colour = Colour("565D6B")  # 5.7:1 on the light panels, 6.8:1 on white (WCAG AA)
    light: Colour = Colour("E8EDF3")  # panels, key-figure boxes
    series: tuple[Colour, ...] = tuple(map(Colour, ("1F3A5F", "4F81BD", "C8102E", "8C9DB0", "E0A526", "2E7D5B")))
    body_size: Pt = Pt(10.5)  # brief body
    brief_leading: float = 1.38  # the brief's body line height, a multiple of the size (a typographic choice)
    deck_body_size: Pt = Pt(20.0)
    deck_min_body_size: Pt = Pt(18.0)
    deck_title_size: Pt = Pt(30.0)
    chart_font_size: Pt = Pt(9.0)
    extras: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in ("primary", "accent", "text", "muted", "light"):
            object.__setattr__(self, name, Colour(getattr(self, name)))
        object.__setattr__(self, "series", tuple(map(Colour, self.series)))
        for name in ("body_size", "deck_body_size", "deck_min_body_size", "deck_title_size", "chart_font_size"):
            object.__setattr__(self, name, Pt(getattr(self, name)))

    def series_colour(self, i: int) -> Colour:
        """The colour of the i-th series (cycled)."""
        return self.series[i % len(self.series)]


@lru_cache(maxsize=None)
def load_theme(name: str = "default") -> Theme:
    """The built-in theme of that name."""
    if name != "default":
        raise AssetError(f"unknown theme '{name}' — the built-in theme is 'default'")
    fonts = assets_dir() / "fonts"
    family = FontFamily(
        name="Carlito",
        regular=fonts / "Carlito-Regular.ttf",
        bold=fonts / "Carlito-Bold.ttf",
        italic=fonts / "Carlito-Italic.ttf",
        bold_italic=fonts / "Carlito-BoldItalic.ttf",
    )
    return Theme(name="default", font=family, deck_font_name="Calibri")
