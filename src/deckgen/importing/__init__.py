"""`deckgen import`: start an outline from a document you already have (.docx, .odt, .md, .html) — read, infer, write YAML."""
from __future__ import annotations

import datetime as _dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DeckgenError, OutlineError

READERS = {".docx": "docx", ".odt": "odt", ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}
# formats with no reader here: LibreOffice Writer converts them to .docx (old binary Word and RTF have no well-kept
# pure-Python reader; flat XML .fodt is rare)
CONVERT = {".doc", ".rtf", ".fodt"}


@dataclass
class ImportResult:
    """What an import wrote, and what it inferred (also written as comments at the top of the outline)."""

    outline: Path
    files: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def import_document(source: str | Path, out: str | Path, force: bool = False, today: _dt.date | None = None) -> ImportResult:
    """Read `source` (.docx, .odt, .md or .html) and write an outline at `out`, its pictures in `<out stem>-images/` beside it.

    Refuses to replace an existing outline unless `force`. The written outline is validated before it is kept
    (a failure there is a bug in the importer, reported as such)."""
    from ..outline import load_bytes
    from .infer import infer
    from .yamlout import dump

    source, out = Path(source), Path(out)
    reader = _reader(source)
    if out.suffix.lower() not in (".yaml", ".yml"):
        raise DeckgenError(f"{out}: the outline is written as YAML — name it e.g. {out.with_suffix('.yaml').name}")
    if out.exists() and not force:
        raise DeckgenError(f"{out}: the file exists — choose another name, or add --force to replace it")
    doc = reader(source)
    images_dir = f"{out.stem}-images"
    result = infer(doc, source.stem, images_dir, today or _today())
    header = [f"Imported by `deckgen import` from {source.name} ({doc.fmt}). What was inferred — check it:"]
    header += [f"  - {n}" for n in result.notes]
    header += ["Format: docs/outline-format.md · `deckgen validate` checks, `deckgen build` makes the deck and brief."]
    text = dump(result.data, header)
    written: list[Path] = []
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        if result.files:
            folder = out.parent / images_dir
            folder.mkdir(exist_ok=True)
            for name, data in sorted(result.files.items()):
                (folder / name).write_bytes(data)
                written.append(folder / name)
    except OSError as exc:
        raise DeckgenError(f"{out.parent}: cannot write the pictures: {exc.strerror or exc}") from None
    try:
        load_bytes(text.encode("utf-8"), str(out), out.parent.resolve())
    except OutlineError as exc:
        raise DeckgenError(f"{source}: the outline made from it does not validate — a bug in deckgen import; please report it with the "
                           f"document:\n{exc}") from None
    tmp = out.with_name(f".{out.name}.tmp")
    try:
        tmp.write_bytes(text.encode("utf-8"))
        os.replace(tmp, out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise DeckgenError(f"{out}: cannot write the outline: {exc.strerror or exc}") from None
    return ImportResult(out, [out, *written], result.notes)


def _reader(source: Path):
    if not source.exists():
        raise DeckgenError(f"{source}:1:1: no such file — check the document's path")
    if source.is_dir():
        raise DeckgenError(f"{source}:1:1: this is a folder — name a .docx or .md file")
    suffix = source.suffix.lower()
    if suffix in CONVERT:
        raise DeckgenError(f"{source}:1:1: {suffix} files are not read directly — convert to .docx first "
                           f"(LibreOffice: soffice --headless --convert-to docx {source.name}), then import the .docx")
    kind = READERS.get(suffix)
    if kind == "docx":
        from .docx import read_docx
        return read_docx
    if kind == "odt":
        from .odt import read_odt
        return read_odt
    if kind == "markdown":
        from .markdown import read_markdown
        return read_markdown
    if kind == "html":
        from .html import read_html
        return read_html
    raise DeckgenError(f"{source}:1:1: cannot import '{suffix or source.name}' files — deckgen imports .docx (Word), .odt (OpenDocument), .md (Markdown) and .html")


def _today() -> _dt.date:
    env = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    now = _dt.datetime.fromtimestamp(int(env), _dt.UTC) if env.isdigit() else _dt.datetime.now(_dt.UTC)
    return now.date()
