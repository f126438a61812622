"""Files an outline points at (logo, images, template): resolved inside the outline's folder, checked before use."""
from __future__ import annotations

import errno
import io
import os
import re
import stat
import struct
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import AssetError

MAX_IMAGE_BYTES = 20 * 1024 * 1024
MAX_TEMPLATE_BYTES = 50 * 1024 * 1024
MAX_FONT_BYTES = 30 * 1024 * 1024
MAX_PIXELS = 50_000_000  # 50 megapixels: far above any logo, far below a decompression bomb
MAX_SIDE = 30_000
MAX_ZIP_ENTRIES = 2_000
MAX_ZIP_UNPACKED = 300 * 1024 * 1024

IMAGE_KINDS = ("png", "jpeg")
PICTURE_KINDS = ("png", "jpeg", "svg")  # images of the content (`images:`); a logo stays PNG or JPEG
MAX_SVG_BYTES = 5 * 1024 * 1024
MAX_SVG_ELEMENTS = 100_000
TEMPLATE_KINDS = ("pptx",)
FONT_KINDS = ("ttf", "otf")
_EXTENSIONS = {
    "png": (".png",),
    "jpeg": (".jpg", ".jpeg"),
    "svg": (".svg",),
    "pptx": (".pptx", ".potx"),
    "ttf": (".ttf",),
    "otf": (".otf",),
}
_NAMES = {"png": "PNG", "jpeg": "JPEG", "pptx": "PowerPoint (.pptx)", "ttf": "TrueType", "otf": "OpenType",
          "webp": "WebP", "svg": "SVG", "gif": "GIF", "bmp": "BMP", "tiff": "TIFF", "pdf": "PDF", "zip": "ZIP", "text": "text"}
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:(//|[^\\/])")  # `https://…`, `data:…`, `mailto:…` — but not `C:\…`
if TYPE_CHECKING:
    from PIL.ImageFile import ImageFile

_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def resolve(base_dir: Path, raw: str, field: str, kinds: Sequence[str] = IMAGE_KINDS) -> Path:
    """The real path of a file named in the outline, relative to base_dir (the outline's folder).

    Refuses URLs (never fetched), absolute paths, `..` and symlinks that leave base_dir, names whose extension
    is not one of `kinds`, missing files and anything that is not a regular file (folders, FIFOs, devices).
    Reads nothing. Raises AssetError(message, field).
    """
    text = (raw or "").strip()
    if not text:
        raise AssetError("the path is empty — name a file next to the outline, e.g. logo.png", field)
    if "\x00" in text:
        raise AssetError("the path contains a NUL character — retype it", field)
    if _URL.match(text):
        raise AssetError(f"'{_short(text)}' is a URL; deckgen never downloads files — save the file next to the outline and name it here", field)
    rel = Path(text)
    if rel.is_absolute() or text.startswith(("~", "\\")) or re.match(r"^[A-Za-z]:[\\/]", text):
        raise AssetError(f"'{_short(text)}' is an absolute path — give a path relative to the outline's folder", field)
    if ".." in rel.parts:
        raise AssetError(f"'{_short(text)}' points outside the outline's folder ('..') — copy the file next to the outline", field)
    allowed = [ext for kind in kinds for ext in _EXTENSIONS.get(kind, ("." + kind,))]
    if rel.suffix.lower() not in allowed:
        raise AssetError(f"'{_short(text)}' is not a {_kinds(kinds)} file — use a file ending in {', '.join(allowed)}", field)
    base = Path(base_dir).resolve()
    candidate = base / rel
    try:
        st = os.lstat(candidate)
    except FileNotFoundError:
        raise AssetError(f"file '{_short(text)}' not found in {base} — check the name{_nearby(base / rel)}", field) from None
    except OSError as exc:
        raise AssetError(f"cannot look at '{_short(text)}': {exc.strerror or exc}", field) from None
    real = Path(os.path.realpath(candidate))
    if real != base and base not in real.parents:
        raise AssetError(f"'{_short(text)}' is a link to a file outside the outline's folder — copy the file next to the outline", field)
    try:
        st = os.stat(real)
    except OSError as exc:
        raise AssetError(f"'{_short(text)}' cannot be opened: {exc.strerror or exc}", field) from None
    if stat.S_ISDIR(st.st_mode):
        raise AssetError(f"'{_short(text)}' is a folder — name a file", field)
    if not stat.S_ISREG(st.st_mode):
        raise AssetError(f"'{_short(text)}' is not a regular file (a device, pipe or socket) — name an ordinary file", field)
    return real


def read_bytes(path: Path, field: str, max_bytes: int) -> bytes:
    """The bytes of a regular file of at most max_bytes; never blocks on a FIFO, never reads a device."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ENXIO:  # a FIFO with no writer
            raise AssetError(f"'{path.name}' is not a regular file — name an ordinary file", field) from None
        raise AssetError(f"cannot open '{path.name}': {exc.strerror or exc}", field) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise AssetError(f"'{path.name}' is not a regular file — name an ordinary file", field)
        if st.st_size > max_bytes:
            raise AssetError(f"'{path.name}' is {_size(st.st_size)}; the limit is {_size(max_bytes)} — use a smaller file", field)
        if st.st_size == 0:
            raise AssetError(f"'{path.name}' is empty — the file is damaged or was not saved", field)
        chunks, total = [], 0
        while total <= max_bytes:
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > max_bytes:
            raise AssetError(f"'{path.name}' is larger than {_size(max_bytes)} — use a smaller file", field)
        return b"".join(chunks)
    except OSError as exc:
        raise AssetError(f"cannot read '{path.name}': {exc.strerror or exc}", field) from None
    finally:
        os.close(fd)


_MAGICS: tuple[tuple[bytes | tuple[bytes, ...], str], ...] = (
    (_PNG_MAGIC, "png"),
    (b"\xff\xd8\xff", "jpeg"),
    ((b"GIF87a", b"GIF89a"), "gif"),
    (b"BM", "bmp"),
    ((b"II*\x00", b"MM\x00*"), "tiff"),
    (b"%PDF", "pdf"),
    (b"PK\x03\x04", "zip"),
    ((b"\x00\x01\x00\x00", b"true"), "ttf"),
    (b"OTTO", "otf"),
)


def sniff(data: bytes) -> str:
    """The kind of file its first bytes show: png, jpeg, gif, webp, svg, bmp, tiff, pdf, zip, ttf, otf, text or ''."""
    head = data[:512]
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    kind = next((k for magic, k in _MAGICS if head.startswith(magic)), None)
    if kind is not None:
        return kind
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith(b"<svg") or (lowered.startswith(b"<?xml") and b"<svg" in data[:4096].lower()):
        return "svg"
    try:
        head.decode("utf-8")
        return "text"
    except UnicodeDecodeError:
        return ""


def _open_image(data: bytes, kind: str) -> ImageFile:
    """A lazy Pillow image of a PNG or JPEG: reads the header only (format, mode, size), decodes no pixel.

    Built with the format's own ImageFile class rather than `Image.open`, because `Image.open` first applies Pillow's
    process-wide `Image.MAX_IMAGE_PIXELS` check (its error has no dimensions to show); the limit here is ours,
    compared with `size` before anything is decoded, and Pillow's global stays as it is."""
    from PIL import JpegImagePlugin, PngImagePlugin

    factory = {"png": PngImagePlugin.PngImageFile, "jpeg": JpegImagePlugin.JpegImageFile}[kind]
    return factory(io.BytesIO(data))


def image_size(data: bytes, kind: str) -> tuple[int, int]:
    """Width and height from a PNG or JPEG header, without decoding any pixel; raises ValueError if unreadable."""
    if kind not in ("png", "jpeg"):
        raise ValueError(f"cannot read the size of a {kind} file")
    try:
        with _open_image(data, kind) as img:
            return img.size
    except _PIL_ERRORS as exc:
        raise ValueError(f"the {_NAMES[kind]} header is cut off or damaged ({exc})") from None


def read_image(path: Path, field: str, kinds: Sequence[str] = IMAGE_KINDS, max_pixels: int = MAX_PIXELS) -> bytes:
    """The bytes of a PNG/JPEG whose content matches its kind, whose header size is at most max_pixels (checked before
    any decoding) and whose data is complete; raises AssetError(message, field)."""
    data = read_bytes(path, field, MAX_IMAGE_BYTES)
    kind = sniff(data)
    if kind not in kinds:
        what = _NAMES.get(kind, "an unknown kind of")
        raise AssetError(
            f"'{path.name}' is {'a ' + what if kind else 'not an image'} file, not {_kinds(kinds)}"
            f"{' (WebP and SVG are not supported)' if kind in ('webp', 'svg') else ''} — save it as {_kinds(kinds)}",
            field,
        )
    try:
        w, h = image_size(data, kind)
    except ValueError as exc:
        raise AssetError(f"'{path.name}': {exc} — re-export the image", field) from None
    if w <= 0 or h <= 0:
        raise AssetError(f"'{path.name}' says it is {w}×{h} pixels — re-export the image", field)
    if w > MAX_SIDE or h > MAX_SIDE:
        raise AssetError(
            f"'{path.name}' claims {w}×{h} pixels; a side is limited to {MAX_SIDE:,} pixels — scale the image down", field
        )
    if w * h > max_pixels:
        raise AssetError(
            f"'{path.name}' claims {w}×{h} pixels ({w * h / 1e6:.0f} MP); the limit is {max_pixels / 1e6:.0f} MP — scale the image down", field
        )
    try:
        _check_structure(data, kind, w, h)
    except ValueError as exc:
        raise AssetError(f"'{path.name}' is damaged: {exc} — re-export the image", field) from None
    return data


def read_template(path: Path, field: str) -> bytes:
    """The bytes of a .pptx/.potx that is a ZIP with a presentation part, within size and unpacked-size limits."""
    data = read_bytes(path, field, MAX_TEMPLATE_BYTES)
    if sniff(data) != "zip":
        raise AssetError(f"'{path.name}' is not a PowerPoint file (not a ZIP package) — save the template as .pptx", field)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_ZIP_ENTRIES:
                raise AssetError(f"'{path.name}' holds {len(infos)} parts; the limit is {MAX_ZIP_ENTRIES} — use a simpler template", field)
            if sum(i.file_size for i in infos) > MAX_ZIP_UNPACKED:
                raise AssetError(f"'{path.name}' unpacks to more than {_size(MAX_ZIP_UNPACKED)} — use a smaller template", field)
            names = {i.filename for i in infos}
    except zipfile.BadZipFile as exc:
        raise AssetError(f"'{path.name}' is a damaged ZIP package ({exc}) — re-save the template in PowerPoint", field) from None
    if "[Content_Types].xml" not in names or "ppt/presentation.xml" not in names:
        raise AssetError(f"'{path.name}' is a ZIP file but not a PowerPoint presentation — save the template as .pptx", field)
    return data


def read_font(path: Path, field: str) -> bytes:
    """The bytes of a TrueType/OpenType font file (checked by its signature, within the size limit)."""
    data = read_bytes(path, field, MAX_FONT_BYTES)
    if sniff(data) not in FONT_KINDS:
        raise AssetError(f"'{path.name}' is not a TrueType or OpenType font — name a .ttf or .otf file", field)
    return data


def check_font(data: bytes, path: Path, field: str) -> None:
    """A font file's face must map Unicode characters (a Unicode cmap) to TrueType or CFF outlines; raises AssetError."""
    from fontTools.ttLib import TTFont

    try:
        with TTFont(io.BytesIO(data), lazy=True) as tt:
            cmap = tt["cmap"].getBestCmap() if "cmap" in tt else None
            outlines = "glyf" in tt or "CFF " in tt
    except Exception as exc:  # fontTools raises many kinds for a damaged font
        raise AssetError(f"'{path.name}' is a damaged font ({type(exc).__name__}) — use another copy of the font", field) from None
    if not cmap:
        raise AssetError(f"'{path.name}' has no Unicode character map (a symbol or legacy font) — use a Unicode font", field)
    if not outlines:
        raise AssetError(f"'{path.name}' has no TrueType or CFF outlines (a bitmap or colour-only font) — use an outline font", field)


def load(base_dir: Path, raw: str, field: str, kinds: Sequence[str]) -> bytes:
    """resolve() then read and check the file according to its kinds (image, template or font)."""
    path = resolve(base_dir, raw, field, kinds)
    if set(kinds) <= set(TEMPLATE_KINDS):
        return read_template(path, field)
    if set(kinds) <= set(FONT_KINDS):
        return read_font(path, field)
    if "svg" in kinds and path.suffix.lower() == ".svg":
        return read_svg(path, field)
    return read_image(path, field, tuple(k for k in kinds if k != "svg"))


_SVG_NS = "http://www.w3.org/2000/svg"
_XLINK = "{http://www.w3.org/1999/xlink}href"
_CSS_URL = re.compile(r"url\(\s*['\"]?\s*([^)'\"\s]*)", re.I)
_CSS_IMPORT = re.compile(r"@import", re.I)
_SVG_UNITS = {"": 1.0, "px": 0.75, "pt": 1.0, "pc": 12.0, "in": 72.0, "cm": 72 / 2.54, "mm": 72 / 25.4}


def read_svg(path: Path, field: str) -> bytes:
    """The bytes of an SVG drawing that names nothing outside itself (no external images, fonts, style sheets or
    entities: only `#id` references and embedded PNG/JPEG `data:` images), with a usable size; raises AssetError."""
    data = read_bytes(path, field, MAX_SVG_BYTES)
    kind = sniff(data)
    if kind != "svg":
        what = _NAMES.get(kind, "an unknown kind of")
        raise AssetError(f"'{path.name}' ends in .svg but is {'a ' + what if kind else 'not an image'} file — "
                         "save it as SVG, PNG or JPEG", field)
    try:
        svg_size(data)
    except ValueError as exc:
        raise AssetError(f"'{path.name}': {exc}", field) from None
    return data


def parse_svg(data: bytes):
    """The SVG's root element, parsed without DTDs, entities or network; raises ValueError with the fix."""
    from lxml import etree

    if re.search(rb"<!(DOCTYPE|ENTITY)", data[:65536], re.I):
        raise ValueError("the SVG declares a DOCTYPE or entities, which deckgen does not read — remove the <!DOCTYPE …> line")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"the SVG is not well-formed XML ({exc}) — re-export it") from None
    if root is None or etree.QName(root).localname != "svg":
        raise ValueError("the file's root element is not <svg> — re-export it as SVG")
    count = 0
    for el in root.iter():
        count += 1
        if count > MAX_SVG_ELEMENTS:
            raise ValueError(f"the SVG holds more than {MAX_SVG_ELEMENTS:,} elements — simplify it or export a PNG")
        if not isinstance(el.tag, str):
            continue
        name = etree.QName(el).localname
        if name in ("script", "foreignObject"):
            raise ValueError(f"the SVG contains <{name}>, which deckgen does not draw — remove it or export a PNG")
        for key in ("href", _XLINK):
            ref = (el.get(key) or "").strip()
            if ref and not ref.startswith("#") and not re.match(r"data:image/(png|jpeg);base64,", ref, re.I):
                raise ValueError(f"the SVG refers to '{_short(ref)}' outside itself — embed the picture or export a PNG")
        texts = [el.get("style") or ""] + ([el.text or ""] if name == "style" else [])
        for text in texts:
            if _CSS_IMPORT.search(text) or any(u and not u.startswith("#") for u in _CSS_URL.findall(text)):
                raise ValueError("the SVG's styles load files from outside it (url(…) or @import) — embed them or export a PNG")
        for key, value in el.attrib.items():
            if isinstance(value, str) and "url(" in value.lower() and any(u and not u.startswith("#") for u in _CSS_URL.findall(value)):
                raise ValueError("the SVG refers to a file outside itself in an url(…) — embed it or export a PNG")
    return root


def svg_size(data: bytes) -> tuple[float, float]:
    """An SVG's size in points from its width and height (else its viewBox); raises ValueError."""
    root = parse_svg(data)

    def length(raw: str | None) -> float | None:
        m = re.fullmatch(r"\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*([a-z]*)\s*", raw or "")
        if not m or m.group(2) not in _SVG_UNITS:
            return None
        return float(m.group(1)) * _SVG_UNITS[m.group(2)]

    w, h = length(root.get("width")), length(root.get("height"))
    box = [float(v) for v in re.findall(r"-?[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?", root.get("viewBox") or "")]
    if (w is None or h is None) and len(box) == 4:
        vw, vh = box[2], box[3]
        if w is None and h is None:
            w, h = vw * 0.75, vh * 0.75
        elif w is None and vh > 0:
            w = h * vw / vh
        elif h is None and vw > 0:
            h = w * vh / vw
    if not w or not h or w <= 0 or h <= 0:
        raise ValueError("the SVG has no size — give the <svg> element width and height, or a viewBox")
    if w / h > 50 or h / w > 50:
        raise ValueError(f"the SVG is {w:.0f}×{h:.0f} pt, too thin to show — check its width, height and viewBox")
    return w, h


# --- structure check, once the header's size is known to be within the limits ---------------------------------

_PIL_ERRORS = (OSError, SyntaxError, ValueError, EOFError, struct.error, IndexError, KeyError, TypeError, ZeroDivisionError)


def _check_structure(data: bytes, kind: str, w: int, h: int) -> None:
    """Pillow's verify() (PNG: every chunk and its checksum up to IEND), then a full decode (the pixel data is complete
    and well formed); a JPEG is decoded at 1/8 scale (every byte of the scan is still read). Raises ValueError."""
    with _open_image(data, kind) as img:
        try:
            img.verify()
        except _PIL_ERRORS as exc:
            raise ValueError(f"the file is cut off or broken ({exc})") from None
    with _open_image(data, kind) as img:
        if kind == "jpeg":
            img.draft(None, (max(1, w // 8), max(1, h // 8)))
        try:
            img.load()
        except _PIL_ERRORS as exc:
            if "truncated" in str(exc).lower():
                raise ValueError("the pixel data is incomplete") from None
            raise ValueError(f"the pixel data is corrupt ({exc})") from None


def _kinds(kinds: Sequence[str]) -> str:
    names = [_NAMES.get(k, k) for k in kinds]
    return " or ".join(names)


def _short(text: str) -> str:
    return text if len(text) <= 80 else text[:77] + "…"


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n // 1024} KB" if n >= 1024 else f"{n} bytes"


def _nearby(target: Path) -> str:
    import difflib

    try:
        names = [p.name for p in target.parent.iterdir() if p.is_file()][:500]
    except OSError:
        return ""
    near = difflib.get_close_matches(target.name, names, n=1)
    return f" (did you mean '{near[0]}'?)" if near else ""
