"""The typesetting context: fonts with metrics and fallbacks, line height, slide and page geometry, colours, language —
resolved once per build and passed to the planners, the chart renderer and the writers (frozen; no file look-ups later)."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from .errors import AssetError
from .fonts import FontFile, fallback_fonts, find_family
from .inline import Run
from .scripts import joined, needs_joining
from .metrics import FontMetrics, face, line_em, wrap
from .layout.slides import SLIDE_KINDS
from .template import Choice, TemplateInfo, choose, template_theme
from .theme import FontFamily, Theme, assets_dir
from .units import Pt

# A4 in points.
A4 = (Pt(595.2756), Pt(841.8898))
# The built-in deck's slide: 16:9, 13.333 x 7.5 in.
WIDESCREEN = (Pt(960.0), Pt(540.0))


@dataclass(frozen=True)
class Fonts:
    """The theme's text family (four faces, measured with their own advance widths), the family name the deck declares,
    the fallback faces for characters the family lacks (preferred first), and the family's line height in em."""

    family: FontFamily
    declared: str
    fallbacks: tuple[FontFile, ...]
    line_em: float
    _faces: dict[tuple[bool, bool], FontMetrics] = field(repr=False, compare=False, hash=False)

    def metrics(self, bold: bool = False, italic: bool = False) -> FontMetrics:
        """The advance widths of one face of the family."""
        return self._faces[(bold, italic)]

    def wrap(self, runs: tuple[Run, ...], size: float, width: float, bold: bool = False) -> list[str]:
        """The lines `runs` take in a box `width` pt wide at `size` pt (PowerPoint's wrapping)."""
        return wrap(runs, self._faces, size, width, bold)

    def lines(self, runs: tuple[Run, ...], size: float, width: float, bold: bool = False) -> int:
        """How many lines `runs` take in a box `width` pt wide at `size` pt."""
        return len(self.wrap(runs, size, width, bold))

    def width(self, text: str, size: float, bold: bool = False) -> float:
        """The width of one line of plain text, in pt."""
        return self._faces[(bold, False)].width(text, size)

    def line_height(self, size: float) -> Pt:
        """The height of one line at 100 % spacing (ascent + descent + line gap of the family)."""
        return Pt(size * self.line_em)


@dataclass(frozen=True)
class Typesetting:
    """Everything a planner, the chart renderer or a writer needs to know about how text and shapes are set."""

    theme: Theme
    fonts: Fonts
    slide: tuple[Pt, Pt] = WIDESCREEN  # width, height of the deck's slides
    page: tuple[Pt, Pt] = A4  # width, height of the brief's pages
    language: str = "en"
    template: TemplateInfo | None = None  # the outline's own .pptx (None: the built-in template)
    layouts: dict[str, Choice] = field(default_factory=dict)  # slide kind -> the template layout it uses
    title_fonts: Fonts | None = None  # the family titles are set in, when it is not the body's

    @property
    def heading_fonts(self) -> Fonts:
        """The fonts titles are measured with."""
        return self.title_fonts or self.fonts


def bundled_fallbacks() -> tuple[Path, ...]:
    """Fallback faces shipped with deckgen (symbols and other alphabets)."""
    return (assets_dir() / "fonts" / "DejaVuSans.ttf",)


def make_fonts(theme: Theme, system_fonts: bool = True, text: str = "") -> Fonts:
    """The theme's fonts, read once: metrics of the four faces, fallbacks (the theme's extra fonts, the bundled ones,
    then, unless `system_fonts` is False, installed ones fontconfig finds for the characters of `text` they all lack —
    Arabic's joined forms included), line height from the regular face's own tables."""
    fam = theme.font
    faces = {(False, False): face(fam.regular), (True, False): face(fam.bold),
             (False, True): face(fam.italic), (True, True): face(fam.bold_italic)}
    if needs_joining(text):
        text += joined(text)
    fallbacks = fallback_fonts(bundled_fallbacks(), None if system_fonts else (), text, theme.extra_fonts, fam.regular)
    return Fonts(fam, theme.deck_font_name, fallbacks, line_em(fam.regular), faces)


def typesetting(theme: Theme, language: str = "en", slide: tuple[float, float] = WIDESCREEN,
                system_fonts: bool = True, template: TemplateInfo | None = None,
                layouts: dict[str, str] | None = None, kinds: tuple[str, ...] | None = None, text: str = "") -> Typesetting:
    """Build the context of one build: the theme's fonts resolved, the slide size, the language; with a user's
    `template`, its size, the layout of each slide kind (`layouts`: theme.layouts overrides by name) and its look:
    colours from its theme and text styles, text measured with the fonts it names (or their metric twins).
    `text`: every character the outline prints (installed fallback fonts are looked up for those no font has).
    Raises AssetError listing every slide kind no layout of the template can serve."""
    if template is None:
        return Typesetting(theme=theme, fonts=make_fonts(theme, system_fonts, text), slide=(Pt(slide[0]), Pt(slide[1])),
                           language=language)
    choices, problems = choose(template, list(kinds or SLIDE_KINDS), dict(layouts or {}))
    if problems:
        raise AssetError("\n".join(problems), "theme.template")
    look = template_theme(theme, template, choices)
    body = _family_fonts(look, look.deck_font_name, system_fonts, text)
    heading = choices["bullets"] if "bullets" in choices else next(iter(choices.values()))
    title_box = template.layout(heading.layout).of("title", "ctrTitle")
    title_name = title_box[0].font if title_box else look.deck_font_name
    titles = _family_fonts(look, title_name, system_fonts, text) if title_name != look.deck_font_name else None
    return Typesetting(theme=look, fonts=body, slide=(template.width, template.height), language=language,
                       template=template, layouts=choices, title_fonts=titles)


def _family_fonts(theme: Theme, name: str, system_fonts: bool, text: str = "") -> Fonts:
    """Fonts for text set in `name`: measured with the installed family (or its metric twin, or what fontconfig
    substitutes, as LibreOffice would); the theme's own family when none can be found."""
    found = find_family(name)
    if found is None:
        return make_fonts(theme, system_fonts, text)
    family = FontFamily(found[0], *(Path(p) for p in found[1]))
    return make_fonts(replace(theme, font=family, deck_font_name=name), system_fonts, text)
