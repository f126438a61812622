"""Pictures of the outline (`images:`) as the planners see them: kind, intrinsic size and bytes (pure data)."""
from __future__ import annotations

from dataclasses import dataclass, field

from . import assets


@dataclass(frozen=True)
class Picture:
    """An image file read and checked by the loader: its kind (png, jpeg, svg), intrinsic size (pixels; points for
    SVG) and bytes (left out of plan JSON)."""

    image_id: str
    kind: str
    width: float
    height: float
    data: bytes = field(repr=False, compare=False, default=b"")

    @property
    def aspect(self) -> float:
        """Width over height."""
        return self.width / self.height


def picture(image_id: str, data: bytes) -> Picture:
    """The Picture of bytes the loader accepted (PNG, JPEG or SVG)."""
    kind = assets.sniff(data)
    if kind == "svg":
        w, h = assets.svg_size(data)
    else:
        w, h = assets.image_size(data, kind)
    return Picture(image_id, kind, float(w), float(h), data)


def pictures(files: dict[str, bytes]) -> dict[str, Picture]:
    """Every image of a loaded outline (`doc.files` keys `image:<id>`), by id."""
    return {key[6:]: picture(key[6:], data) for key, data in files.items() if key.startswith("image:")}


def fit(aspect: float, w: float, h: float) -> tuple[float, float]:
    """The largest (width, height) of this aspect inside w × h."""
    if w / h > aspect:
        return round(h * aspect, 2), round(h, 2)
    return round(w, 2), round(w / aspect, 2)
