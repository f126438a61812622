"""Read a YAML outline into the content model, keeping the line and column of every node; all errors at once."""
from __future__ import annotations

import difflib
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from .errors import OutlineError, Problem
from .model import Chart, Loc, Outline, check, check_chart

MAX_BYTES = 5 * 1024 * 1024
_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
# Base loaders resolve no implicit types: every plain scalar stays text (YAML 1.2 behaviour for `NO`, `12:30`, ...).
_LOADER = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
_NULLS = {"", "~", "null", "Null", "NULL"}


@dataclass
class Document:
    """A loaded outline with the map from model paths to places in its file."""

    file: str
    outline: Outline | None
    data: Any
    marks: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[Loc, tuple[int, int]] = field(default_factory=dict)

    def problem(self, loc: Loc, message: str, severity: str = "error", *, at_key: bool = False) -> Problem:
        """A located problem for a model path (the nearest existing node gives line and column)."""
        line, col = self.locate(loc, at_key=at_key)
        return Problem(self.file, line, col, format_path(self.data, loc), message, severity)

    def locate(self, loc: Loc, *, at_key: bool = False) -> tuple[int, int]:
        """Line and column (1-based) of the node at loc, or of its nearest ancestor."""
        loc = tuple(loc)
        if at_key and loc in self.key_marks:
            return self.key_marks[loc]
        while loc:
            if loc in self.marks:
                return self.marks[loc]
            loc = loc[:-1]
        return self.marks.get((), (1, 1))


def format_path(data: Any, loc: Loc) -> str:
    """`sections[geo].points[2].text`: list items shown by their id where they have one."""
    out = ""
    node = data
    for part in loc:
        if isinstance(part, int):
            label = str(part)
            if isinstance(node, list) and 0 <= part < len(node):
                item = node[part]
                if isinstance(item, dict) and isinstance(item.get("id"), str) and item["id"]:
                    label = item["id"]
                node = item
            else:
                node = None
            out += f"[{label}]"
        else:
            out += f".{part}" if out else str(part)
            node = node.get(part) if isinstance(node, dict) else None
    return out


def load_outline(path: str | Path) -> Document:
    """Read and validate an outline file; raise OutlineError listing every problem."""
    path = Path(path)
    name = str(path)
    try:
        if not path.is_file():
            raise OutlineError([Problem(name, 1, 1, "", "no such file — check the outline's path")])
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise OutlineError([Problem(name, 1, 1, "", f"file is {size // 1024} KiB; outlines are limited to {MAX_BYTES // 1024 // 1024} MiB")])
        raw = path.read_bytes()
    except OSError as exc:
        raise OutlineError([Problem(name, 1, 1, "", f"cannot read the file: {exc.strerror or exc}")]) from None
    return load_bytes(raw, name)


def load_bytes(raw: bytes, name: str = "<outline>") -> Document:
    """Parse and validate outline bytes (UTF-8); raise OutlineError listing every problem."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise OutlineError([Problem(name, line, col, "", f"byte 0x{raw[exc.start]:02x} is not UTF-8 — save the file as UTF-8")]) from None
    text = text.removeprefix("\ufeff")
    doc = Document(name, None, None)
    problems: list[Problem] = []
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = exc.problem or "invalid YAML"
        hint = _yaml_hint(f"{exc.context or ''} {what}")
        raise OutlineError([Problem(name, line, col, "", f"YAML syntax: {what}{hint}")]) from None
    except yaml.YAMLError as exc:
        raise OutlineError([Problem(name, 1, 1, "", f"YAML syntax: {exc}")]) from None
    if node is None:
        raise OutlineError([Problem(name, 1, 1, "", "the outline is empty — start with `meta:`, `lead:` and `sections:` (see docs/outline-format.md)")])
    broken: set[Loc] = set()
    doc.data = _plain(node, (), doc, problems, set(), broken)
    if not isinstance(doc.data, dict):
        problems.append(doc.problem((), "the outline must be a mapping of keys (meta:, lead:, sections:, …), not a list or a single value"))
        raise OutlineError(_sorted(problems))
    try:
        doc.outline = Outline.model_validate(doc.data)
    except ValidationError as exc:
        errors = [(err, _clean_loc(doc, tuple(err["loc"]))) for err in exc.errors(include_url=False)]
        typos = {(loc[:-1], str(loc[-1])) for err, loc in errors if err["type"] == "extra_forbidden" and loc}
        for err, loc in errors:
            if any(loc[: len(b)] == b for b in broken):  # already reported as a YAML problem
                continue
            if err["type"] == "missing" and loc and any(
                parent == loc[:-1] and difflib.get_close_matches(str(loc[-1]), [key], cutoff=0.6) for parent, key in typos
            ):  # `titel:` is reported as unknown with "did you mean 'title'"; no need to also say title is missing
                continue
            problems.append(_from_pydantic(doc, err, loc))
        problems += _chart_checks(doc)
        raise OutlineError(_sorted(problems)) from None
    problems += [doc.problem(loc, msg) for loc, msg in check(doc.outline)]
    if problems:
        raise OutlineError(_sorted(problems))
    return doc


def _chart_checks(doc: Document) -> list[Problem]:
    """Data checks of every chart that is valid on its own, so they are reported with the outline's other errors."""
    out: list[Problem] = []
    charts = doc.data.get("charts") if isinstance(doc.data, dict) else None
    for i, raw in enumerate(charts if isinstance(charts, list) else []):
        try:
            chart = Chart.model_validate(raw)
        except ValidationError:
            continue
        out += [doc.problem(("charts", i) + loc, msg) for loc, msg in check_chart(chart)]
    return out


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(dict.fromkeys(problems), key=lambda p: (p.line, p.col, p.path))


def _yaml_hint(problem: str) -> str:
    if "\\t" in problem or "tab" in problem:
        return " — indent with spaces, not tabs"
    if "mapping values are not allowed" in problem:
        return " — a value containing ': ' must be quoted, e.g. title: \"A: B\""
    if "found unexpected end of stream" in problem or "found unexpected end" in problem:
        return " — a quote is not closed"
    if "expected a single document" in problem:
        return " — an outline is one YAML document: remove the '---' separators"
    return ""


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _plain(node: yaml.Node, loc: Loc, doc: Document, problems: list[Problem], seen: set[int], broken: set[Loc]) -> Any:
    """YAML node -> dicts, lists, str and None, recording marks; refuses tags, aliases and duplicate keys."""
    if id(node) in seen:
        problems.append(Problem(doc.file, *_mark(node), _dotted(loc), "anchors and aliases (&name / *name) are not supported — write the value out in full"))
        broken.add(loc)
        return None
    seen.add(id(node))
    doc.marks[loc] = _mark(node)
    expected = {yaml.ScalarNode: _STR, yaml.MappingNode: _MAP, yaml.SequenceNode: _SEQ}[type(node)]
    if node.tag != expected:
        problems.append(Problem(doc.file, *_mark(node), _dotted(loc), f"YAML tag '{node.tag.replace('tag:yaml.org,2002:', '!!')}' is not allowed — remove the tag"))
        broken.add(loc)
        return None
    if isinstance(node, yaml.ScalarNode):
        if node.style in (None, "") and node.value in _NULLS:
            return None
        return node.value
    if isinstance(node, yaml.SequenceNode):
        return [_plain(item, loc + (i,), doc, problems, seen, broken) for i, item in enumerate(node.value)]
    out: dict[str, Any] = {}
    first_line: dict[str, int] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            problems.append(Problem(doc.file, *_mark(key_node), _dotted(loc), "a key must be plain text, not a list or mapping"))
            continue
        key = key_node.value
        if key == "<<":
            problems.append(Problem(doc.file, *_mark(key_node), _dotted(loc), "merge keys (<<) are not supported — write the keys out"))
            continue
        if key in out:
            problems.append(Problem(doc.file, *_mark(key_node), _dotted(loc + (key,)), f"duplicate key '{key}' (first on line {first_line[key]}) — keep one of them"))
            continue
        first_line[key] = _mark(key_node)[0]
        doc.key_marks[loc + (key,)] = _mark(key_node)
        out[key] = _plain(value_node, loc + (key,), doc, problems, seen, broken)
    return out


def _dotted(loc: Loc) -> str:
    return format_path(None, loc)


# --- pydantic errors -> located, plain-language problems -------------------------------------------------------

def _from_pydantic(doc: Document, err: dict[str, Any], loc: Loc) -> Problem:
    kind = err["type"]
    value = err.get("input")
    field_name = loc[-1] if loc else ""
    if kind == "extra_forbidden":
        known = _fields_at(loc[:-1])
        near = difflib.get_close_matches(str(field_name), known, n=1, cutoff=0.6)
        hint = f" — did you mean '{near[0]}'?" if near else (f" — allowed keys: {', '.join(known)}" if known else "")
        return doc.problem(loc, f"unknown key '{field_name}'{hint}", at_key=True)
    if kind == "missing":
        return doc.problem(loc, f"'{field_name}' is required — add `{field_name}: …`")
    return doc.problem(loc, _message(kind, value, err))


def _clean_loc(doc: Document, loc: Loc) -> Loc:
    """Drop pydantic's internal loc parts (union branches, validator names) that are not outline keys."""
    out: list[str | int] = []
    node = doc.data
    for part in loc:
        if isinstance(part, int) and isinstance(node, list):
            out.append(part)
            node = node[part] if 0 <= part < len(node) else None
        elif isinstance(part, str) and (isinstance(node, dict) or node is None) and not part.startswith(("function-", "[key]", "str", "list[", "dict[")):
            out.append(part)
            node = node.get(part) if isinstance(node, dict) else None
        elif part == "[key]":
            continue
    return tuple(out)


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (null)"
    text = str(value)
    return f"'{text[:60]}{'…' if len(text) > 60 else ''}'"


def _message(kind: str, value: Any, err: dict[str, Any]) -> str:
    got = _describe(value)
    ctx = err.get("ctx") or {}
    if kind in ("string_type", "str_type"):
        return f"expected text, got {got} — write it on one line or as a quoted string"
    if kind == "list_type":
        return f"expected a list, got {got} — write one `- item` per line or [a, b]"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"expected a mapping (key: value lines), got {got}"
    if kind in ("float_parsing", "float_type", "int_parsing", "int_type", "int_from_float"):
        return f"{got} is not a number — write digits only, e.g. 12 or 1.5 (no %, commas or units; put the unit in `unit`)"
    if kind == "finite_number":
        return f"{got} is not a finite number — NaN and infinity cannot be charted"
    if kind in ("bool_parsing", "bool_type"):
        return f"expected true or false, got {got}"
    if kind.startswith("date") or kind.startswith("datetime"):
        return f"{got} is not a valid date — write YYYY-MM-DD, e.g. 2024-04-19"
    if kind == "string_pattern_mismatch":
        return f"{got} is not a valid id or tag — start with a letter, then letters, digits, '-' or '_'"
    if kind == "literal_error":
        allowed = ctx.get("expected", "")
        options = [o.strip(" '") for o in allowed.replace(" or ", ",").split(",") if o.strip(" '")]
        near = difflib.get_close_matches(str(value), options, n=1)
        return f"{got} is not allowed — use one of {', '.join(options)}" + (f" (did you mean '{near[0]}'?)" if near else "")
    if kind in ("too_short", "string_too_short"):
        return "must not be empty"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return f"{got} is out of range — {err['msg'].lower()}"
    if kind == "value_error":
        return str(ctx.get("error", err["msg"])).removeprefix("Value error, ")
    return err["msg"]


def _fields_at(loc: Loc) -> list[str]:
    """The keys a model accepts at this outline path (for 'did you mean')."""
    annotation: Any = Outline
    for part in loc:
        annotation = _unwrap(annotation)
        if isinstance(part, int):
            args = typing.get_args(annotation)
            annotation = args[0] if args else None
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
            info = annotation.model_fields.get(part)
            annotation = info.annotation if info else None
        elif typing.get_origin(annotation) is dict:
            annotation = typing.get_args(annotation)[1]
        else:
            return []
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return list(annotation.model_fields)
    return []


def _unwrap(annotation: Any) -> Any:
    """Strip Optional/Annotated around a type."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0] if len(args) == 1 else annotation
            if len(args) != 1:
                return annotation
        else:
            return annotation
