"""Value types shared by plans and writers: lengths in points, colours, and the build's moment in time (pure)."""
from __future__ import annotations

import datetime as _dt
import re

EMU_PER_PT = 12700  # OOXML's English Metric Units: 914,400 an inch, 72 points an inch


class Pt(float):
    """A length in typographic points (1/72 in). Arithmetic gives plain floats: wrap results where they are stored."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"Pt({float(self)!r})"

    @property
    def emu(self) -> int:
        """The length in EMU (OOXML), rounded to the nearest unit."""
        return round(float(self) * EMU_PER_PT)


def pt(value: float) -> Pt:
    """`value` as a Pt (a Pt stays itself)."""
    return value if type(value) is Pt else Pt(value)


_HEX = re.compile(r"[0-9A-Fa-f]{6}")


class Colour(str):
    """An sRGB colour as six hex digits, 'RRGGBB' (upper case, no '#')."""

    __slots__ = ()

    def __new__(cls, value: str) -> Colour:
        text = str(value).lstrip("#")
        if not _HEX.fullmatch(text):
            raise ValueError(f"'{value}' is not a colour — write six hex digits, e.g. 1F3A5F")
        return super().__new__(cls, text.upper())

    @property
    def rgb(self) -> tuple[int, int, int]:
        """The red, green and blue components, 0-255."""
        return int(self[0:2], 16), int(self[2:4], 16), int(self[4:6], 16)

    @property
    def css(self) -> str:
        """'#RRGGBB'."""
        return "#" + self

    @property
    def luminance(self) -> float:
        """WCAG 2 relative luminance, 0 (black) to 1 (white)."""
        lin = [(v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4) for v in (c / 255 for c in self.rgb)]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    def contrast(self, other: Colour) -> float:
        """WCAG 2 contrast ratio with `other`, 1 to 21."""
        a, b = sorted((self.luminance, Colour(other).luminance), reverse=True)
        return (a + 0.05) / (b + 0.05)

    def blend(self, other: Colour, amount: float) -> Colour:
        """This colour moved towards `other`: amount 0 is this colour, 1 is `other`."""
        return Colour("".join(f"{round(v + (o - v) * amount):02X}" for v, o in zip(self.rgb, Colour(other).rgb)))

    def mix(self, amount: float) -> Colour:
        """This colour mixed with white: amount 0 is the colour, 1 is white."""
        return self.blend(WHITE, amount)

    def ink_on(self, dark: Colour) -> Colour:
        """Text colour readable on this fill (WCAG AA, 4.5:1): white on a dark fill, `dark` on a light one; black when
        neither reaches 4.5:1 (a mid-tone fill)."""
        order = (WHITE, Colour(dark)) if self.luminance < 0.3 else (Colour(dark), WHITE)
        for ink in order:
            if self.contrast(ink) >= 4.5:
                return ink
        return max((*order, BLACK), key=self.contrast)


WHITE = Colour("FFFFFF")
BLACK = Colour("000000")


def moment(epoch: int) -> _dt.datetime:
    """The build's moment (seconds since 1970, UTC) as an aware datetime in UTC."""
    return _dt.datetime.fromtimestamp(epoch, _dt.timezone.utc)


def day_epoch(day: _dt.date) -> int:
    """Midnight UTC of `day`, in seconds since 1970."""
    return int(_dt.datetime(day.year, day.month, day.day, tzinfo=_dt.timezone.utc).timestamp())
