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
    from ..outline import MAX_BYTES, load_bytes
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
    folder = out.parent / images_dir
    clash = next((folder / n for n in sorted(result.files) if (folder / n).exists()), None)
    if clash is not None and not force:
        raise DeckgenError(f"{clash}: the file exists — choose another outline name, or add --force to replace it")
    written: list[Path] = []
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        if result.files:
            folder.mkdir(exist_ok=True)
            for name, data in sorted(result.files.items()):
                (folder / name).write_bytes(data)
                written.append(folder / name)
    except OSError as exc:
        raise DeckgenError(f"{out.parent}: cannot write the pictures: {exc.strerror or exc}") from None
    _keep_usable_pictures(result, out.parent, written)
    if result.files and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()  # every picture was unusable
    text = dump(result.data, _header(source, doc.fmt, result.notes))
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise DeckgenError(f"{source}: as an outline the document is {len(text.encode('utf-8')) // 1024} KiB; outlines are limited to "
                           f"{MAX_BYTES // 1024 // 1024} MiB — import a part of it (split the document)")
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


def _header(source: Path, fmt: str, notes: list[str]) -> list[str]:
    """The comment lines at the top of the outline: where it came from and what was inferred, wrapped to the page."""
    import textwrap

    lines = [f"Imported by `deckgen import` from {source.name} ({fmt}). What was inferred — check it:"]
    for note in notes:
        lines += textwrap.wrap(note, 108, initial_indent="  - ", subsequent_indent="    ", break_long_words=False, break_on_hyphens=False)
    return lines + ["Format: docs/outline-format.md · `deckgen validate` checks, `deckgen build` makes the deck and brief."]


def _keep_usable_pictures(result, folder: Path, written: list[Path]) -> None:
    """Check each written picture as a build will (kind, size, pixels, structure); one that fails is removed and its
    place in the outline becomes a comment saying why."""
    from .. import assets
    from ..errors import AssetError
    from .infer import COMMENTS

    keep = []
    for i, image in enumerate(result.data.get("images", [])):
        try:
            assets.load(folder.resolve(), image["file"], f"images[{i}].file", assets.PICTURE_KINDS)
            keep.append(image)
        except AssetError as exc:
            path = folder / image["file"]
            path.unlink(missing_ok=True)
            if path in written:
                written.remove(path)
            for sec in result.data["sections"]:
                if image["id"] in sec.get("images", []):
                    sec["images"].remove(image["id"])
                    if not sec["images"]:
                        del sec["images"]
                    sec.setdefault(COMMENTS, []).extend([f"kept from the document (a picture), not placed — {exc.message}:",
                                                         f"  {image['alt']}"])
                    sec[COMMENTS] = sec.pop(COMMENTS)
            result.notes.append(f"a picture could not be used ({exc.message}); see the comment in its section")
    if keep:
        result.data["images"] = keep
    else:
        result.data.pop("images", None)


MAX_DOCUMENT = 100 * 1024 * 1024  # a document's file; its pictures are checked later one by one (20 MB, 50 MP)
MAX_TEXT_DOCUMENT = 20 * 1024 * 1024  # Markdown or HTML text
MAX_PARTS = 10_000
MAX_UNPACKED = 500 * 1024 * 1024  # a .docx/.odt ZIP, all parts unpacked: guards against ZIP bombs


def _check_size(source: Path, suffix: str) -> None:
    """Refuse, before any parsing, a document too large to be a briefing or a ZIP package that would unpack too far."""
    import zipfile

    size = source.stat().st_size
    limit = MAX_DOCUMENT if suffix in (".docx", ".odt") else MAX_TEXT_DOCUMENT
    if size > limit:
        raise DeckgenError(f"{source}:1:1: the file is {size // 1024 // 1024} MB; documents are imported up to {limit // 1024 // 1024} MB — "
                           "import a part of it")
    if suffix in (".docx", ".odt") and zipfile.is_zipfile(source):
        try:
            with zipfile.ZipFile(source) as zf:
                infos = zf.infolist()
        except (zipfile.BadZipFile, OSError):
            return  # the reader reports a damaged file
        if len(infos) > MAX_PARTS or sum(i.file_size for i in infos) > MAX_UNPACKED:
            raise DeckgenError(f"{source}:1:1: the document holds {len(infos)} parts unpacking to "
                               f"{sum(i.file_size for i in infos) // 1024 // 1024} MB; the limits are {MAX_PARTS} parts and "
                               f"{MAX_UNPACKED // 1024 // 1024} MB — save a smaller copy (compress its pictures)")


def _reader(source: Path):
    if not source.exists():
        raise DeckgenError(f"{source}:1:1: no such file — check the document's path")
    if source.is_dir() or not source.is_file():
        raise DeckgenError(f"{source}:1:1: not a regular file — name a .docx, .odt, .md or .html file")
    suffix = source.suffix.lower()
    if suffix in READERS:
        _check_size(source, suffix)
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
