"""Write outline data as YAML people can edit: block style, keys in the model's order, text quoted only where YAML
needs it, long text folded (`>-`), comments kept, UTF-8 as is (Polish letters stay letters); deterministic."""
from __future__ import annotations

import datetime as _dt
import json
import re
from typing import Any

import yaml

from .infer import COMMENTS

WIDTH = 100
_FLOW_KEYS = {"authors", "keywords", "sources", "charts", "tables", "images", "columns", "tags"}
_SPECIAL_START = set("-?:,[]{}#&*!|>'\"%@`")


def dump(data: dict[str, Any], header: list[str]) -> str:
    """The YAML text of `data` under `header` (comment lines, written with `# `)."""
    lines = [f"# {h}".rstrip() for h in header]
    _mapping(data, 0, lines)
    return "\n".join(lines) + "\n"


def _mapping(data: dict, indent: int, lines: list[str], first_prefix: str | None = None) -> None:
    pad = " " * indent
    first = True
    for key, value in data.items():
        prefix = first_prefix if first and first_prefix is not None else pad
        if key == COMMENTS:
            lines.extend(f"{pad}# {c}".rstrip() for c in value)
            continue
        first = False
        if indent == 0 and lines and lines[-1]:
            lines.append("")
        if isinstance(value, dict):
            lines.append(f"{prefix}{key}:")
            _mapping(value, indent + 2, lines)
        elif isinstance(value, list):
            flow = _flow(value) if key in _FLOW_KEYS else None
            if flow is not None and len(prefix) + len(key) + len(flow) + 2 <= WIDTH:
                lines.append(f"{prefix}{key}: {flow}")
            else:
                lines.append(f"{prefix}{key}:")
                _sequence(value, indent + 2, lines)
        else:
            lines.extend(_scalar_lines(f"{prefix}{key}: ", value, indent + 2))


def _sequence(items: list, indent: int, lines: list[str]) -> None:
    pad = " " * indent
    for item in items:
        if isinstance(item, dict):
            _mapping(item, indent + 2, lines, first_prefix=f"{pad}- ")
        elif isinstance(item, list):
            flow = _flow(item)
            if flow is not None and indent + 2 + len(flow) <= WIDTH:
                lines.append(f"{pad}- {flow}")
            else:
                lines.append(f"{pad}-")
                _sequence(item, indent + 2, lines)
        else:
            lines.extend(_scalar_lines(f"{pad}- ", item, indent + 2))


def _flow(items: list) -> str | None:
    """`[a, b]` when every item is a short scalar that reads the same there; else None."""
    parts = []
    for item in items:
        if isinstance(item, (dict, list)):
            return None
        text = _inline(item, flow=True)
        if text is None or len(text) > 60:
            return None
        parts.append(text)
    return f"[{', '.join(parts)}]"


def _scalar_lines(prefix: str, value: Any, indent: int) -> list[str]:
    inline = _inline(value)
    if inline is not None and len(prefix) + len(inline) <= WIDTH:
        return [prefix + inline]
    if isinstance(value, str) and _foldable(value):
        return [prefix + ">-"] + [" " * indent + ln for ln in _wrap(value, WIDTH - indent)]
    return [prefix + (inline if inline is not None else json.dumps(value, ensure_ascii=False))]


def _inline(value: Any, flow: bool = False) -> str | None:
    """A scalar on one line: plain when YAML reads it back as this very text, else double-quoted (JSON escapes are
    YAML escapes); None for text that should be folded instead."""
    if value is None:
        return "~"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, _dt.date):
        return value.isoformat()
    text = str(value)
    if _plain_ok(text, flow):
        return text
    return json.dumps(text, ensure_ascii=False)


def _plain_ok(text: str, flow: bool) -> bool:
    if not text or text != text.strip() or text[0] in _SPECIAL_START or re.search(r"[\x00-\x1f\x7f\u2028\u2029\ufeff]", text):
        return False
    if ": " in text or " #" in text or text.endswith(":") or (flow and re.search(r"[,\[\]{}]", text)):
        return False
    try:
        return yaml.safe_load(f"k: {text}") == {"k": text}  # not a number, date, bool or null to any YAML 1.1 reader
    except yaml.YAMLError:
        return False


def _foldable(text: str) -> bool:
    return len(text) > 40 and text == text.strip() and "  " not in text and not re.search(r"[\x00-\x1f\x7f\u2028\u2029\ufeff\u0085]", text)


def _wrap(text: str, width: int) -> list[str]:
    """Break at single spaces only (folding joins the lines with one space), never inside a word."""
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return lines
