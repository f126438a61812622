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

from . import assets, translate
from .errors import AssetError, OutlineError, Problem
from .inline import XML_FORBIDDEN, clean, links, note_refs
from .model import (LINK_SCHEMES, MAX_CATEGORIES, MAX_SERIES, Chart, DataRef, Loc, Outline, Table, TableColumn, check,
                    check_chart, check_table, check_url, column_kinds, number)

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
    fonts: list[Path] = field(default_factory=list)  # theme.fonts, resolved next to the outline and checked
    # values read from data files (`data:`), by model path: (file, line, field number, cell name); file None for a
    # workbook cell, which is located at the outline's `data` key and named in the message
    origins: dict[Loc, tuple[str | None, int, int, str]] = field(default_factory=dict)
    inputs: list[Path] = field(default_factory=list)  # the data files the outline names (watched by `deckgen watch`)

    def problem(self, loc: Loc, message: str, severity: str = "error", *, at_key: bool = False) -> Problem:
        """A located problem for a model path (the nearest existing node gives line and column; a value read from a
        data file is located in that file, or named by its cell)."""
        origin = self.origins.get(tuple(loc))
        if origin is not None:
            file, line, col, cell = origin
            message = f"{cell}: {message}"
            if file is not None:
                return Problem(file, line, col, format_path(self.data, loc), message, severity)
        line, col = self.locate(loc, at_key=at_key)
        return Problem(self.file, line, col, format_path(self.data, loc), message, severity)

    def locate(self, loc: Loc, *, at_key: bool = False) -> tuple[int, int]:
        """Line and column (1-based) of the node at loc, or of its nearest ancestor."""
        loc = tuple(loc)
        if "cells" in loc[1:] and loc[: loc.index("cells")] in self.marks and loc[: loc.index("cells") + 1] not in self.marks:
            loc = loc[: loc.index("cells")] + loc[loc.index("cells") + 1 :]  # a table row written as a plain list of cells
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
    problems += _data_checks(doc)
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
        problems += _image_checks(doc)
        raise _failed(doc, problems) from None
    problems += [doc.problem(loc, msg) for loc, msg in check(doc.outline)]
    problems += [doc.problem(loc, msg) for loc, msg in translate.check(doc.outline)]
    doc.warnings += _language_warnings(doc)
    doc.warnings += _property_warnings(doc)
    from .classification import check as check_classification  # levels, markings, marked content reaching an audience classified lower

    problems += [doc.problem(loc, msg) for loc, msg in check_classification(doc.outline)]
    problems += _asset_checks(doc)
    problems += _image_checks(doc)
    if problems:
        raise _failed(doc, problems)
    return doc


MAX_PROPERTY = 255  # what PowerPoint's File › Info (and python-pptx) hold in a core document property


def _property_warnings(doc: Document) -> list[Problem]:
    """A title, subtitle, author list or keyword list longer than a deck's document property can hold: the slides
    show it all, the property keeps its start (the deck writer shortens it); say so where it is written."""
    assert doc.outline is not None
    metas = [((), doc.outline.meta)] + [(("translations", tag), t.meta) for tag, t in doc.outline.translations.items()]
    out = []
    for base, meta in metas:
        fields = (("title", meta.title, "title"), ("subtitle", meta.subtitle, "subject"),
                  ("authors", "; ".join(getattr(meta, "authors", None) or []), "author"),
                  ("keywords", ", ".join(meta.keywords or []), "keywords"))
        for key, text, prop in fields:
            if text and len(text) > MAX_PROPERTY:
                out.append(doc.problem((*base, "meta", key), f"{len(text)} characters: the deck's '{prop}' document property "
                                       f"holds {MAX_PROPERTY}, so it keeps the first {MAX_PROPERTY - 1} and '…' (the slides "
                                       f"show it all) — shorten it to keep it whole", "warning"))
    return out


def _language_warnings(doc: Document) -> list[Problem]:
    """A language deckgen has no words for prints English labels (its dates and numbers are its own): say so once."""
    from .words import has_catalogue, known_locale

    assert doc.outline is not None
    out = []
    tags = [(("meta", "language"), doc.outline.meta.language)] + [
        (("audiences", name, "language"), a.language) for name, a in doc.outline.audiences.items() if a.language]
    for loc, tag in tags:
        if not known_locale(tag):
            out.append(doc.problem(loc, f"language '{tag}' is unknown to CLDR — dates and numbers print as English; "
                                   "check the tag (e.g. 'pl', 'en-GB')", "warning"))
        elif not has_catalogue(tag):
            out.append(doc.problem(loc, f"deckgen has no words in '{tag}' — its labels (Agenda, Source:, …) print in "
                                   "English; give them in `labels:` (docs/outline-format.md lists the keys)", "warning"))
    return out


def _failed(doc: Document, problems: list[Problem]) -> OutlineError:
    """The error listing every problem; it names the data files read, so `watch` sees them fixed."""
    error = OutlineError(_sorted(problems))
    error.inputs = list(doc.inputs)
    return error


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
    """theme.template, theme.logo and theme.fonts: resolved next to the outline and checked (kind, size, structure) at load time."""
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
            if key == "template":  # templates are data: no macros, OLE, ActiveX, outside links or private parts
                from .templatefile import clean

                cleaned = clean(doc.files[key], Path(raw).name)
                doc.files[key] = cleaned.data
                if cleaned.dropped:
                    doc.warnings.append(doc.problem(("theme", key), "left out of the deck: " + "; ".join(cleaned.dropped)
                                                    + " — a template only lends its masters, layouts, theme, fonts and "
                                                    "pictures; re-save it without them to silence this", "warning"))
        except AssetError as exc:
            doc.files.pop(key, None)
            out.append(doc.problem(("theme", key), exc.message))
    raw_fonts = theme.get("fonts")
    for i, raw in enumerate(raw_fonts if isinstance(raw_fonts, list) else []):
        if not isinstance(raw, str):
            continue
        doc.inputs.append(doc.base_dir / raw)  # only ever looked at (stat) by `watch`; read under the asset rules
        try:
            path = assets.resolve(doc.base_dir, raw, f"theme.fonts[{i}]", assets.FONT_KINDS)
            assets.check_font(assets.read_font(path, f"theme.fonts[{i}]"), path, f"theme.fonts[{i}]")
        except AssetError as exc:
            out.append(doc.problem(("theme", "fonts", i), exc.message))
            continue
        doc.fonts.append(path)
    return out


def _image_checks(doc: Document) -> list[Problem]:
    """images[].file: resolved next to the outline and checked (PNG, JPEG or SVG; size; structure) at load time;
    the bytes are kept in `doc.files` as `image:<id>`."""
    images = doc.data.get("images") if isinstance(doc.data, dict) else None
    out: list[Problem] = []
    for i, raw in enumerate(images if isinstance(images, list) else []):
        if not isinstance(raw, dict) or not isinstance(raw.get("file"), str):
            continue
        doc.inputs.append(doc.base_dir / raw["file"])  # only ever looked at (stat) by `watch`; read under the asset rules
        try:
            data = assets.load(doc.base_dir, raw["file"], f"images[{i}].file", assets.PICTURE_KINDS)
        except AssetError as exc:
            out.append(doc.problem(("images", i, "file"), exc.message))
            continue
        if isinstance(raw.get("id"), str):
            doc.files[f"image:{raw['id']}"] = data
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


# --- data from files (`data:`) and from tables (`from:`) -------------------------------------------------------

def _data_checks(doc: Document) -> list[Problem]:
    """Fill the data of tables and charts that take it from a file (`data`) and of charts drawn from a table
    (`from`) into doc.data, before validation, so every check of the model applies to it; report bad cells."""
    if not isinstance(doc.data, dict):
        return []
    out: list[Problem] = []
    tables = doc.data.get("tables") if isinstance(doc.data.get("tables"), list) else []
    charts = doc.data.get("charts") if isinstance(doc.data.get("charts"), list) else []
    for i, raw in enumerate(tables):
        if isinstance(raw, dict) and raw.get("data") is not None:
            out += _table_from_file(doc, ("tables", i), raw)
    for i, raw in enumerate(charts):
        if isinstance(raw, dict) and raw.get("data") is not None:
            out += _chart_from_file(doc, ("charts", i), raw)
        elif isinstance(raw, dict) and isinstance(raw.get("from"), str):
            out += _chart_from_table(doc, ("charts", i), raw, tables)
    return out


def _read_grid(doc: Document, loc: Loc, raw: Any) -> tuple[Any, list[Problem]]:
    from . import datafiles

    try:
        ref = DataRef.model_validate(raw)
    except ValidationError:
        return None, []  # reported with the outline's other errors
    doc.inputs.append(doc.base_dir / ref.file)  # only ever looked at (stat) by `watch`; read below under the asset rules
    try:
        return datafiles.read(doc.base_dir, ref.file, ref.sheet, ref.range, format_path(doc.data, loc)), []
    except AssetError as exc:
        return None, [doc.problem(loc, exc.message)]


def _beside(doc: Document, file: str) -> str:
    """A data file's name as the user reaches it: beside the outline's file as named."""
    return str(Path(doc.file).parent / file)


def _origin(doc: Document, grid: Any, row: int, col: int) -> tuple[str | None, int, int, str]:
    if grid.sheet is None:
        line, field_no = grid.line_col(row, col)
        return _beside(doc, grid.file), line, field_no, f"cell {grid.cell(row, col)}"
    return None, 0, 0, grid.where(row, col)


def _issues(doc: Document, grid: Any, loc: Loc, issues: list) -> list[Problem]:
    """Issues of a grid as problems: a CSV cell located in the file; a workbook cell named, at the outline's `data`."""
    out = []
    issues = sorted(issues, key=lambda i: (-1 if i.row is None else i.row, -1 if i.col is None else i.col))  # reading order
    for issue in issues[:20]:
        if issue.row is None:
            sheet = f", sheet {grid.sheet}" if grid.sheet is not None else ""
            out.append(doc.problem(loc, f"{grid.file}{sheet}: {issue.message}"))
        elif grid.sheet is None:
            line, field_no = grid.line_col(issue.row, issue.col)
            cell = f"cell {grid.cell(issue.row, issue.col)}: " if issue.col is not None else ""
            out.append(Problem(_beside(doc, grid.file), line, field_no, format_path(doc.data, loc), cell + issue.message))
        else:
            where = grid.where(issue.row, issue.col) if issue.col is not None else f"{grid.file}, sheet {grid.sheet}"
            out.append(doc.problem(loc, f"{where}: {issue.message}"))
    if len(issues) > 20:
        out.append(doc.problem(loc, f"{grid.file}: {len(issues) - 20} more problems like these — fix the ones above first"))
    return out


def _filled_from(doc: Document, loc: Loc, key: str, *names: str) -> None:
    """Values filled in under loc are located at the key they came from (`data` or `from`)."""
    for name in names:
        doc.marks.setdefault(loc + (name,), doc.marks.get(loc + (key,), doc.marks.get(loc, (1, 1))))


def _chart_from_file(doc: Document, loc: Loc, raw: dict) -> list[Problem]:
    from . import datafiles

    written = [k for k in ("categories", "series", "points") if raw.get(k) is not None]
    if written:
        return [doc.problem(loc + ("data",), f"a chart takes its data from one place — remove `{'`, `'.join(written)}` or `data`")]
    grid, out = _read_grid(doc, loc + ("data",), raw["data"])
    if grid is None:
        return out
    if raw.get("kind") == "scatter":
        points, issues = datafiles.scatter_data(grid)
        if issues:
            return _issues(doc, grid, loc + ("data",), issues)
        raw["points"] = points
        _filled_from(doc, loc, "data", "points")
        for k in range(len(points)):
            for j, name in enumerate(("label", "x", "y")):
                doc.origins[loc + ("points", k, name)] = _origin(doc, grid, k + 1, j)
            doc.origins[loc + ("points", k)] = _origin(doc, grid, k + 1, 0)
        return out
    categories, series, issues = datafiles.chart_data(grid)
    if issues:
        return _issues(doc, grid, loc + ("data",), issues)
    raw["categories"], raw["series"] = categories, series
    _filled_from(doc, loc, "data", "categories", "series")
    for k in range(len(categories)):
        doc.origins[loc + ("categories", k)] = _origin(doc, grid, k + 1, 0)
    for si in range(len(series)):
        doc.origins[loc + ("series", si)] = doc.origins[loc + ("series", si, "name")] = _origin(doc, grid, 0, si + 1)
        for k in range(len(categories)):
            doc.origins[loc + ("series", si, "values", k)] = _origin(doc, grid, k + 1, si + 1)
    return out


def _table_from_file(doc: Document, loc: Loc, raw: dict) -> list[Problem]:
    from . import datafiles

    if raw.get("rows") is not None:
        return [doc.problem(loc + ("data",), "a table takes its rows from one place — remove `rows` or `data`")]
    kinds = None
    if isinstance(raw.get("columns"), list) and raw["columns"]:
        try:
            kinds = [TableColumn.model_validate(c).kind for c in raw["columns"]]
        except ValidationError:
            return []  # reported with the outline's other errors
    grid, out = _read_grid(doc, loc + ("data",), raw["data"])
    if grid is None:
        return out
    headers, rows, issues = datafiles.table_data(grid, kinds)
    if issues:
        return _issues(doc, grid, loc + ("data",), issues)
    if kinds is None:
        raw["columns"] = headers
        _filled_from(doc, loc, "data", "columns")
        for j in range(len(headers)):
            doc.origins[loc + ("columns", j)] = doc.origins[loc + ("columns", j, "name")] = _origin(doc, grid, 0, j)
    raw["rows"] = rows
    _filled_from(doc, loc, "data", "rows")
    for r, row in enumerate(rows):
        doc.origins[loc + ("rows", r)] = doc.origins[loc + ("rows", r, "cells")] = _origin(doc, grid, r + 1, 0)
        for j in range(len(row)):
            doc.origins[loc + ("rows", r, "cells", j)] = _origin(doc, grid, r + 1, j)
    return out


def _chart_from_table(doc: Document, loc: Loc, raw: dict, tables: list) -> list[Problem]:
    """`from: table-id`: categories from the table's first column, a series per number column (named by its header);
    scatter charts: a point per row, x and y from the first two number columns."""
    from .datafiles import text_of

    ti = next((i for i, t in enumerate(tables) if isinstance(t, dict) and t.get("id") == raw["from"]), None)
    if ti is None:
        return []  # model.check names the missing table
    written = [k for k in ("categories", "series", "points") if raw.get(k) is not None]
    if written:
        return [doc.problem(loc + ("from",), f"a chart takes its data from one place — remove `{'`, `'.join(written)}` or `from`")]
    try:
        table = Table.model_validate(tables[ti])
    except ValidationError:
        return []  # the table's errors are reported
    if not table.rows or check_table(table):
        return []  # the table's own errors are reported (or its file could not be read)
    kinds = column_kinds(table)
    numeric = [j for j in range(1, len(table.columns)) if kinds[j] == "number"]
    tloc: Loc = ("tables", ti)
    scatter = raw.get("kind") == "scatter"
    if len(numeric) < (2 if scatter else 1):
        texts = ", ".join(f"'{c.name}'" for c in table.columns[1:6]) or "none"
        need = "fewer than two number columns (x and y)" if scatter else "no number column to draw"
        return [doc.problem(loc + ("from",), f"table '{table.id}' has {need}: its columns after the first ({texts}) hold "
                            "text — write plain numbers in them (unit in the column's `unit`), or mark a column `kind: number`")]
    if len(table.rows) > MAX_CATEGORIES:
        return [doc.problem(loc + ("from",), f"table '{table.id}' has {len(table.rows)} rows; a chart shows at most {MAX_CATEGORIES}")]
    if len(numeric) > MAX_SERIES and not scatter:
        return [doc.problem(loc + ("from",), f"table '{table.id}' has {len(numeric)} number columns; a chart shows at most {MAX_SERIES} series")]
    out: list[Problem] = []
    labels: list[str] = []
    seen: dict[str, int] = {}
    for r, row in enumerate(table.rows):
        label = text_of(row.cells[0]).strip()
        if not label:
            out.append(doc.problem(tloc + ("rows", r, "cells", 0), f"chart '{raw.get('id')}' takes its categories from this "
                                   "column and the label is empty — write one"))
        elif label in seen and not scatter:
            out.append(doc.problem(tloc + ("rows", r, "cells", 0), f"chart '{raw.get('id')}' takes its categories from this "
                                   f"column and '{label[:40]}' is also in row {seen[label] + 1} — each category must be unique"))
        seen.setdefault(label, r)
        labels.append(label)
    columns: dict[int, list[float]] = {}
    for j in (numeric[:2] if scatter else numeric):
        values = []
        for r, row in enumerate(table.rows):
            v = number(row.cells[j])
            if v is None:
                out.append(doc.problem(tloc + ("rows", r, "cells", j), f"chart '{raw.get('id')}' draws column "
                                       f"'{table.columns[j].name}' and needs a value in every row — write a number (0 if it is zero)"))
            values.append(v if v is not None else 0.0)
        columns[j] = values
    if out:
        return out
    if scatter:
        x, y = columns[numeric[0]], columns[numeric[1]]
        raw["points"] = [{"label": lab, "x": x[k], "y": y[k]} for k, lab in enumerate(labels)]
        _filled_from(doc, loc, "from", "points")
    else:
        raw["categories"] = labels
        raw["series"] = [{"name": table.columns[j].name, "values": v} for j, v in columns.items()]
        _filled_from(doc, loc, "from", "categories", "series")
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


MAX_WORD = 5000  # characters without white space in any value (a link is at most 2,000: model.MAX_LINK)
_LONG_WORD = re.compile(r"\S{%d,}" % (MAX_WORD + 1))


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
        long = _LONG_WORD.search(node.value)
        if long:  # reportlab re-measures such a word character by character at every try to break a page: minutes
            problems.append((_mark(node), loc, f"a word of {len(long.group(0)):,} characters with no space — no slide or "
                             f"page can set it; break it up with spaces (at most {MAX_WORD:,} characters without one)"))
            broken.add(loc)
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
    if kind == "missing" and len(loc) == 3 and loc[0] == "images" and field_name == "alt":
        return doc.problem(loc, "missing — describe what the image shows for readers who cannot see it")
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
    text = " ".join(str(value).split())  # one line: a message is one line
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
    if kind == "string_too_short" and len(err.get("loc", ())) == 3 and err["loc"][0] == "images" and err["loc"][-1] == "alt":
        return "empty — describe what the image shows for readers who cannot see it"
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
