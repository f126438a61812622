"""The look matplotlib draws charts with: the theme's font files made known to matplotlib, and every chart's rcParams.

Why one global registration remains: matplotlib's text layout and its Agg, PDF and SVG backends find every glyph's font
through the module-level `matplotlib.font_manager.fontManager`, by family name, along the `font.family` fallback chain.
A private FontManager is never consulted, and `FontProperties(fname=...)` would drop the fallback to DejaVu Sans for
glyphs the theme font lacks (so change bytes). So `register_fonts` gives each font file to that manager once per
process: a cache of what the library knows, keyed by family and file, never build state. It keeps lookups independent
of the order themes come in: a family's files are fixed by its first registration (a theme naming the same family with
other files is an error, not a silent swap), and registering a new family only moves its own files ahead of system
copies. So builds with different themes in one process draw the same bytes as each in a process of its own.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import AssetError
from ..theme import Theme

FALLBACK_FAMILY = "DejaVu Sans"  # ships with matplotlib; draws only glyphs the theme font lacks
# library caches (see the module docstring): theme font files -> family name; family -> the files matplotlib has for it
_FAMILIES: dict[tuple[str, ...], str] = {}
_FILES: dict[str, frozenset[str]] = {}


def register_fonts(theme: Theme) -> str:
    """Give the theme's TrueType files to matplotlib once; return the family name they declare.

    Raises AssetError when a file cannot be read, or when its family is already known to charts from other files
    (matplotlib finds fonts by family name: one process cannot tell two such families apart).
    """
    f = theme.font
    paths = tuple(str(p) for p in (f.regular, f.bold, f.italic, f.bold_italic))
    family = _FAMILIES.get(paths)
    if family is not None:
        return family
    import matplotlib
    from matplotlib import font_manager

    manager = font_manager.fontManager
    if not _FILES:  # the fallback family is matplotlib's own copy: no theme may bring other files of that name
        bundled = (Path(matplotlib.get_data_path()) / "fonts" / "ttf").resolve()
        _FILES[FALLBACK_FAMILY] = frozenset(_resolved(e.fname) for e in manager.ttflist if e.name == FALLBACK_FAMILY and Path(_resolved(e.fname)).parent == bundled)
    groups: dict[str, set[str]] = {}
    for p in paths:
        try:
            name = font_manager.ttfFontProperty(font_manager.get_font(p)).name
        except (OSError, RuntimeError) as exc:
            raise AssetError(f"chart font '{p}' cannot be read ({exc}) — reinstall deckgen or fix the theme") from exc
        groups.setdefault(name, set()).add(_resolved(p))
    new = {name: frozenset(files) for name, files in groups.items() if name not in _FILES}
    for name, files in groups.items():
        if name not in new and _FILES[name] != files:
            raise AssetError(
                f"chart font family '{name}' is already drawn from {', '.join(sorted(_FILES[name]))}; the theme's"
                f" {', '.join(sorted(files))} declare the same family — charts find fonts by family name, so give"
                " these files their own family name or use the same files"
            )
    if new:
        for p in paths:
            if any(_resolved(p) in files for files in new.values()):
                manager.addfont(p)
        _FILES.update(new)
        # a system copy of the same family must not win the look-up: the files given here go first
        # (addfont has just emptied matplotlib's look-up cache, and nothing has looked a font up since)
        ours = {p for name, files in _FILES.items() if name != FALLBACK_FAMILY for p in files}
        manager.ttflist.sort(key=lambda entry: _resolved(entry.fname) not in ours)
    family = font_manager.FontProperties(fname=paths[0]).get_name()
    _FAMILIES[paths] = family
    return family


def families(theme: Theme, family: str) -> list[str]:
    """The family chain charts draw with: the theme's family, the families of the outline's own fonts (its theme's
    `fonts`, given to matplotlib once each; a family name matplotlib already has keeps the files it has), then
    DejaVu Sans."""
    from matplotlib import font_manager

    manager = font_manager.fontManager
    own: list[str] = []
    for path in map(str, theme.extra_fonts):
        try:
            name = font_manager.ttfFontProperty(font_manager.get_font(path)).name
        except (OSError, RuntimeError) as exc:
            raise AssetError(f"font '{path}' (the theme's fonts) cannot be read by the chart renderer ({exc}) — use another copy of the font") from exc
        if name not in _FILES:
            manager.addfont(path)
            _FILES[name] = frozenset({_resolved(path)})
            ours = {p for n, files in _FILES.items() if n != FALLBACK_FAMILY for p in files}
            manager.ttflist.sort(key=lambda entry: _resolved(entry.fname) not in ours)
        if name not in own and name not in (family, FALLBACK_FAMILY):
            own.append(name)
    return [family, *own, FALLBACK_FAMILY]


def _resolved(path: str) -> str:
    return str(Path(path).resolve())


def rc(theme: Theme, family: str) -> dict[str, Any]:
    """The rcParams of every chart: theme font, sober axes, embedded fonts, no math text, fixed hashes."""
    muted = theme.muted.css
    return {
        "font.family": families(theme, family),
        "font.size": theme.chart_font_size,
        "text.parse_math": False,  # '$5 and $10' stays literal in tick labels and legends too
        "text.color": theme.text.css,
        "text.usetex": False,
        "axes.unicode_minus": True,
        "axes.formatter.use_mathtext": False,
        "axes.edgecolor": muted,
        "axes.labelcolor": muted,
        "axes.linewidth": 0.8,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.axisbelow": True,
        "axes.labelsize": theme.chart_font_size,
        "xtick.color": muted,
        "ytick.color": muted,
        "xtick.labelsize": theme.chart_font_size,
        "ytick.labelsize": theme.chart_font_size,
        "legend.fontsize": theme.chart_font_size,
        "legend.frameon": False,
        "figure.facecolor": "white",
        "axes.facecolor": "white",
        "savefig.facecolor": "white",
        "pdf.fonttype": 42,  # embedded TrueType: text stays selectable and searchable
        "svg.fonttype": "path",  # glyphs as paths: the SVG looks the same without the font installed
        "svg.hashsalt": "deckgen",
        "path.simplify": False,
    }
