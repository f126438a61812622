"""Read a YAML outline into the content model, keeping the line and column of every node; all errors at once."""
from __future__ import annotations

import difflib
import re
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from . import assets
from .errors import AssetError, OutlineError, Problem
from .inline import XML_FORBIDDEN, clean, links, note_refs
from .model import LINK_SCHEMES, Chart, Loc, Outline, check, check_chart, check_url

MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 64  # nesting of mappings and lists; a real outline needs fewer than 10
MAX_NODES = 200_000  # values in one file; a 100-page briefing has a few thousand
_LINK_TARGET = re.compile(r"\]\(\s*([A-Za-z][A-Za-z0-9+.-]*:(?:[^()\s]|\([^()\s]*\))*)")
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
    warnings: list[Problem] = field(default_factory=list)
    base_dir: Path = field(default_factory=Path)
    files: dict[str, bytes] = field(default_factory=dict)  # theme.template / theme.logo bytes, read and checked once

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
    prev: Any = None
    for part in loc:
        if isinstance(part, int):
            label = str(part)
            if isinstance(node, list) and 0 <= part < len(node):
                item = node[part]
                if isinstance(item, dict) and isinstance(item.get("id"), str) and item["id"]:
                    label = item["id"]
                elif prev == "series" and isinstance(item, dict) and _plain_label(item.get("name")):
                    label = item["name"]  # a chart series by its name: charts[spend].series[Imports].values[1]
                node = item
            else:
                node = None
            out += f"[{label}]"
        else:
            out += f".{part}" if out else str(part)
            node = node.get(part) if isinstance(node, dict) else None
        prev = part
    return out


def _plain_label(value: Any) -> bool:
    """A name that reads well inside [ ] in a path (short, one line, no brackets)."""
    return isinstance(value, str) and 0 < len(value) <= 40 and not any(c in value for c in "[]\n")


def load_outline(path: str | Path) -> Document:
    """Read and validate an outline file; raise OutlineError listing every problem."""
    path = Path(path)
    name = str(path)
    try:
        if path.is_dir():
            raise OutlineError([Problem(name, 1, 1, "", "this is a folder — name the outline's .yaml file")])
        if not path.exists():
            raise OutlineError([Problem(name, 1, 1, "", "no such file — check the outline's path")])
        if not path.is_file():
            raise OutlineError([Problem(name, 1, 1, "", "not a regular file (a device or pipe) — name the outline's .yaml file")])
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise OutlineError([Problem(name, 1, 1, "", f"file is {size // 1024} KiB; outlines are limited to {MAX_BYTES // 1024 // 1024} MiB — split it or shorten the chart data")])
        raw = path.read_bytes()
    except OSError as exc:
        raise OutlineError([Problem(name, 1, 1, "", f"cannot read the file: {exc.strerror or exc}")]) from None
    return load_bytes(raw, name, path.resolve().parent)


def load_bytes(raw: bytes, name: str = "<outline>", base_dir: Path | None = None) -> Document:
    """Parse and validate outline bytes (UTF-8); raise OutlineError listing every problem.

    Files the outline names (theme.template, theme.logo) are resolved in base_dir (default: the current folder).
    Characters that text cannot carry (control characters, U+FFFE) are removed with a warning in `Document.warnings`.
    """
    if len(raw) > MAX_BYTES:
        raise OutlineError([Problem(name, 1, 1, "", f"the outline is {len(raw) // 1024} KiB; outlines are limited to {MAX_BYTES // 1024 // 1024} MiB — split it")])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise OutlineError([Problem(name, line, col, "", f"byte 0x{raw[exc.start]:02x} is not UTF-8 — save the file as UTF-8")]) from None
    text = text.removeprefix("\ufeff")
    if "\\u" in text or "\\U" in text:  # JSON writers escape 🙂 as a surrogate pair, which YAML parsers refuse
        text = _SURROGATE_PAIR.sub(_join_pair, text)
    doc = Document(name, None, None, base_dir=Path(base_dir) if base_dir is not None else Path.cwd())
    problems: list[Problem] = []
    try:
        _check_shape(text, name)
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = exc.problem or "invalid YAML"
        hint = _yaml_hint(f"{exc.context or ''} {what}")
        lines = text.split("\n")
        if 0 < line <= len(lines) and "\t" in lines[line - 1][: len(lines[line - 1]) - len(lines[line - 1].lstrip(" \t")) + 1]:
            hint = " — indent with spaces, not tabs"
        raise OutlineError([Problem(name, line, col, "", f"YAML syntax: {what}{hint}")]) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        raise OutlineError([Problem(name, line, col, "", f"character U+{ord(char):04X} is not allowed in YAML — delete it (write \\x{ord(char):02X} inside double quotes if you need it)")]) from None
    except yaml.YAMLError as exc:
        raise OutlineError([Problem(name, 1, 1, "", f"YAML syntax: {' '.join(str(exc).split())}")]) from None
    if node is None:
        raise OutlineError([Problem(name, 1, 1, "", "the outline is empty — start with `meta:`, `lead:` and `sections:` (see docs/outline-format.md)")])
    broken: set[Loc] = set()
    sanitised: list[tuple[Loc, str]] = []
    pending: list[tuple[tuple[int, int], Loc, str]] = []
    doc.data = _plain(node, (), doc, pending, set(), broken, sanitised)
    problems += [Problem(name, line, col, format_path(doc.data, loc), msg) for (line, col), loc, msg in pending]
    if not isinstance(doc.data, dict):
        problems.append(doc.problem((), "the outline must be a mapping of keys, not a list or a single value — start with `meta:`, `lead:` and `sections:` (see docs/outline-format.md)"))
        raise OutlineError(_sorted(problems))
    doc.warnings = [
        doc.problem(loc, f"removed {chars} (characters a document cannot hold) — delete them from the text", "warning") for loc, chars in sanitised
    ]
    problems += _link_checks(doc)
    problems += _note_checks(doc)
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
        problems += _asset_checks(doc)
        raise OutlineError(_sorted(problems)) from None
    problems += [doc.problem(loc, msg) for loc, msg in check(doc.outline)]
    problems += _asset_checks(doc)
    if problems:
        raise OutlineError(_sorted(problems))
    return doc


_SURROGATE_PAIR = re.compile(r"(?<!\\)((?:\\\\)*)\\u([dD][89abAB][0-9a-fA-F]{2})\\u([dD][c-fC-F][0-9a-fA-F]{2})")


def _join_pair(m: re.Match) -> str:
    """`\\ud83d\\ude42` (JSON's escape of one character above U+FFFF) -> `\\U0001F642`, which YAML reads."""
    hi, lo = int(m.group(2), 16), int(m.group(3), 16)
    return f"{m.group(1)}\\U{0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00):08X}"


def _check_shape(text: str, name: str) -> None:
    """Stream the YAML events once (no tree is built) and refuse deep nesting and huge numbers of values early."""
    depth = nodes = 0
    events = yaml.parse(text, Loader=_LOADER)
    while True:
        try:
            event = next(events)
        except StopIteration:
            return
        except yaml.YAMLError as exc:  # PyYAML >= 6.0.4 has its own (larger) depth limit, met while scanning ahead
            if "nesting depth" not in str(exc):
                raise
            mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
            line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            raise OutlineError([Problem(name, line, col, "", f"nesting is deeper than {MAX_DEPTH} levels — an outline needs a handful; check the brackets and indentation")]) from None
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            nodes += 1
            if depth > MAX_DEPTH:
                line, col = event.start_mark.line + 1, event.start_mark.column + 1
                raise OutlineError([Problem(name, line, col, "", f"nesting is deeper than {MAX_DEPTH} levels — an outline needs a handful; check the brackets and indentation")])
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
        elif isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent)):
            nodes += 1
        if nodes > MAX_NODES:
            line, col = event.start_mark.line + 1, event.start_mark.column + 1
            raise OutlineError([Problem(name, line, col, "", f"the outline holds more than {MAX_NODES:,} values — split it or shorten the chart data")])


def _link_checks(doc: Document) -> list[Problem]:
    """Every link written in any text (`[text](url)`) must be http, https or mailto and well formed."""
    out: list[Problem] = []

    def walk(value: Any, loc: Loc) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                if k not in ("url",):  # Meta.url and Source.url are checked by the model
                    walk(v, loc + (k,))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, loc + (i,))
        elif isinstance(value, str) and "](" in value:
            exact = links(value)
            loose = [m.group(1) for m in _LINK_TARGET.finditer(value)]
            for url in dict.fromkeys(exact + loose):
                try:
                    check_url(url)
                except ValueError as exc:
                    if url not in exact and url.split(":", 1)[0].lower() in LINK_SCHEMES:
                        continue  # e.g. `(…)` inside an http URL: not parsed as a link, shown as text; the scheme is fine
                    out.append(doc.problem(loc, str(exc)))

    walk(doc.data, ())
    return out


def _note_checks(doc: Document) -> list[Problem]:
    """Every footnote cited in any text (`[^id]`) must be one of the outline's `footnotes`."""
    from .model import _missing

    raw = doc.data.get("footnotes") if isinstance(doc.data, dict) else None
    known = {str(k) for k in raw} if isinstance(raw, dict) else set()
    out: list[Problem] = []

    def walk(value: Any, loc: Loc) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, loc + (k,))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, loc + (i,))
        elif isinstance(value, str) and "[^" in value:
            for ref in dict.fromkeys(note_refs(value)):
                if ref not in known and known:
                    out.append(doc.problem(loc, _missing("footnote", ref, known)))
                elif ref not in known:
                    out.append(doc.problem(loc, f"no footnote '{ref}' — define it at the outline's top level as "
                                           f"`footnotes: {{{ref}: text}}`, or write the note in place as ^[text]"))

    walk(doc.data, ())
    return out


def _asset_checks(doc: Document) -> list[Problem]:
    """theme.template and theme.logo: resolved next to the outline and checked (kind, size, structure) at load time."""
    theme = doc.data.get("theme") if isinstance(doc.data, dict) else None
    if isinstance(theme, str):
        theme = {"name": theme}
    if not isinstance(theme, dict):
        return []
    out: list[Problem] = []
    if isinstance(theme.get("name"), str):
        from .theme import load_theme

        try:
            load_theme(theme["name"])
        except AssetError as exc:
            out.append(doc.problem(("theme", "name"), exc.message))
    for key, kinds in (("template", assets.TEMPLATE_KINDS), ("logo", assets.IMAGE_KINDS)):
        raw = theme.get(key)
        if not isinstance(raw, str):
            continue
        try:
            doc.files[key] = assets.load(doc.base_dir, raw, f"theme.{key}", kinds)
        except AssetError as exc:
            out.append(doc.problem(("theme", key), exc.message))
    return out


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
    if "invalid Unicode character escape" in problem:
        return " — \\ud800–\\udfff (lone surrogates) are not characters; write the character itself or \\U0001F600-style escapes"
    if "expected a single document" in problem:
        return " — an outline is one YAML document: remove the '---' separators"
    return " — check the YAML syntax at this place (indentation, quotes, brackets)"


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _plain(node: yaml.Node, loc: Loc, doc: Document, problems: list, seen: set[int], broken: set[Loc], sanitised: list[tuple[Loc, str]]) -> Any:
    """YAML node -> dicts, lists, str and None, recording marks; refuses tags, aliases and duplicate keys."""
    if id(node) in seen:
        problems.append((_mark(node), loc, "anchors and aliases (&name / *name) are not supported — write the value out in full"))
        broken.add(loc)
        return None
    seen.add(id(node))
    doc.marks[loc] = _mark(node)
    expected = {yaml.ScalarNode: _STR, yaml.MappingNode: _MAP, yaml.SequenceNode: _SEQ}[type(node)]
    if node.tag != expected:
        problems.append((_mark(node), loc, f"YAML tag '{node.tag.replace('tag:yaml.org,2002:', '!!')}' is not allowed — remove the tag"))
        broken.add(loc)
        return None
    if isinstance(node, yaml.ScalarNode):
        if node.style in (None, "") and node.value in _NULLS:
            return None
        bad = XML_FORBIDDEN.findall(node.value)
        if bad:
            names = ", ".join(dict.fromkeys(f"U+{ord(c):04X}" for c in bad))
            sanitised.append((loc, names))
            return clean(node.value)
        return node.value
    if isinstance(node, yaml.SequenceNode):
        return [_plain(item, loc + (i,), doc, problems, seen, broken, sanitised) for i, item in enumerate(node.value)]
    out: dict[str, Any] = {}
    first_line: dict[str, int] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            problems.append((_mark(key_node), loc, "a key must be plain text, not a list or mapping — write `name: value`"))
            continue
        key = key_node.value
        if key == "<<":
            problems.append((_mark(key_node), loc, "merge keys (<<) are not supported — write the keys out"))
            continue
        if key in out:
            problems.append((_mark(key_node), loc + (key,), f"duplicate key '{key}' (first on line {first_line[key]}) — keep one of them"))
            continue
        first_line[key] = _mark(key_node)[0]
        doc.key_marks[loc + (key,)] = _mark(key_node)
        out[key] = _plain(value_node, loc + (key,), doc, problems, seen, broken, sanitised)
    return out


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
        return f"expected a mapping, got {got} — write `key: value` lines indented under it"
    if kind in ("float_parsing", "float_type", "int_parsing", "int_type", "int_from_float"):
        return f"{got} is not a number — write digits only, e.g. 12 or 1.5 (no %, commas or units; put the unit in `unit`)"
    if kind == "finite_number":
        return f"{got} is not a finite number — NaN and infinity cannot be charted"
    if kind in ("bool_parsing", "bool_type"):
        return f"expected true or false, got {got} — write true or false"
    if kind.startswith("date") or kind.startswith("datetime"):
        return f"{got} is not a valid date — write YYYY-MM-DD, e.g. 2024-04-19"
    if kind == "string_pattern_mismatch":
        return f"{got} is not a valid id or tag — start with a letter, then letters, digits, '-' or '_'"
    if kind == "literal_error":
        allowed = ctx.get("expected", "")
        options = [o.strip(" '") for o in allowed.replace(" or ", ",").split(",") if o.strip(" '")]
        near = difflib.get_close_matches(str(value), options, n=1)
        return f"{got} is not allowed — use one of {', '.join(options)}" + (f" (did you mean '{near[0]}'?)" if near else "")
    if kind == "string_too_short":
        return "must not be empty — write some text or remove the key"
    if kind == "too_short":
        return "must not be empty — give at least one item"
    if kind in ("too_long", "string_too_long"):
        limit = ctx.get("max_length")
        return f"too long: at most {limit} {'characters' if kind == 'string_too_long' else 'items'} — shorten it or split it"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return f"{got} is out of range — {err['msg'].lower()}"
    if kind == "value_error":
        text = str(ctx.get("error", err["msg"])).removeprefix("Value error, ")
        return text if " — " in text else f"{text} — correct the value"
    return f"{err['msg']} — correct the value (see docs/outline-format.md)"


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
