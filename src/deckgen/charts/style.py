"""The look matplotlib draws charts with: the theme's font files made known to matplotlib, and every chart's rcParams."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import AssetError
from ..theme import Theme

FALLBACK_FAMILY = "DejaVu Sans"  # ships with matplotlib; draws only glyphs the theme font lacks
_FAMILIES: dict[tuple[str, ...], str] = {}  # font files already given to matplotlib -> their family name


def register_fonts(theme: Theme) -> str:
    """Give the theme's TrueType files to matplotlib once; return the family name they declare."""
    f = theme.font
    paths = tuple(str(p) for p in (f.regular, f.bold, f.italic, f.bold_italic))
    family = _FAMILIES.get(paths)
    if family is None:
        from matplotlib import font_manager

        manager = font_manager.fontManager
        for p in paths:
            try:
                manager.addfont(p)
            except (OSError, RuntimeError) as exc:
                raise AssetError(f"chart font '{p}' cannot be read ({exc}) — reinstall deckgen or fix the theme") from exc
        # a system copy of the same family must not win the look-up: the bundled files go first
        # (addfont has just emptied matplotlib's look-up cache, and nothing has looked a font up since)
        ours = {str(Path(p).resolve()) for p in paths}
        manager.ttflist.sort(key=lambda entry: str(Path(entry.fname).resolve()) not in ours)
        family = font_manager.FontProperties(fname=paths[0]).get_name()
        _FAMILIES[paths] = family
    return family


def rc(theme: Theme, family: str) -> dict[str, Any]:
    """The rcParams of every chart: theme font, sober axes, embedded fonts, no math text, fixed hashes."""
    muted = theme.muted.css
    return {
        "font.family": [family, FALLBACK_FAMILY],
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
