"""Plans as JSON data: each typed value named by its type, lengths as numbers, for golden files and `deckgen plan`."""
from __future__ import annotations

import dataclasses
from typing import Any


def to_data(value: Any) -> Any:
    """A plan (or any part of one) as JSON-ready data: a dataclass becomes {"type": its class name, field: ...}
    (and "kind" when its class names one),
    fields declared with repr=False are left out (caches, bytes), and fields marked omit_none when they are None, tuples become lists, Pt and Colour plain values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out: dict[str, Any] = {"type": type(value).__name__}
        kind = getattr(type(value), "kind", None)  # a slide's kind, a class constant
        if isinstance(kind, str) and "kind" not in {f.name for f in dataclasses.fields(value)}:
            out["kind"] = kind
        for f in dataclasses.fields(value):
            if f.repr and not (f.metadata.get("omit_none") and getattr(value, f.name) is None):
                out[f.name] = to_data(getattr(value, f.name))
        return out
    if isinstance(value, (list, tuple)):
        return [to_data(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_data(v) for k, v in value.items()}
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str):
        return str(value)
    return str(value)
