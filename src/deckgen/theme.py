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
class Type:
    """One role of the type scale: size and line height in points."""

    size: float
    leading: float


@dataclass(frozen=True)
class BriefScale:
    """The brief's type scale, size/leading in points per role (a typographic choice): body 11/15 on a 310 pt measure."""

    nameplate: Type = Type(17.0, 20.0)  # the series name in the masthead
    title: Type = Type(26.0, 30.0)
    subtitle: Type = Type(15.0, 19.0)  # the deck line under the title
    standfirst: Type = Type(13.0, 18.0)  # the lead
    heading: Type = Type(15.0, 19.0)  # section heads
    body: Type = Type(11.0, 15.0)  # body text and its bold run-in heads
    quote: Type = Type(14.0, 19.0)
    key_value: Type = Type(20.0, 23.0)  # key figures
    key_label: Type = Type(9.0, 11.5)
    caption: Type = Type(8.5, 11.0)  # figure captions, authors in the rail
    reference: Type = Type(8.5, 11.5)  # the sources list, end matter
    note: Type = Type(7.5, 9.5)  # figure sources, key-figure sources, footer
    table: Type = Type(9.0, 12.0)  # table cells and headers


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
    brief: BriefScale = BriefScale()  # the brief's type scale
    deck_body_size: Pt = Pt(20.0)
    deck_min_body_size: Pt = Pt(18.0)
    deck_title_size: Pt = Pt(30.0)
    chart_font_size: Pt = Pt(9.0)
    extras: dict[str, str] = field(default_factory=dict)
    extra_fonts: tuple[Path, ...] = ()  # the outline's theme.fonts: tried first for characters `font` lacks

    def __post_init__(self) -> None:
        for name in ("primary", "accent", "text", "muted", "light"):
            object.__setattr__(self, name, Colour(getattr(self, name)))
        object.__setattr__(self, "series", tuple(map(Colour, self.series)))
        for name in ("deck_body_size", "deck_min_body_size", "deck_title_size", "chart_font_size"):
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
