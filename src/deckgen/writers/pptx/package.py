"""The saved package made reproducible: core and app properties from the plan, zip entries and workbooks dated from the epoch."""
from __future__ import annotations

import datetime as _dt
import io
import re
import struct
import zipfile

from ... import units
from ...layout.slides import (
    DeckPlan,
)


def zip_moment(epoch: int) -> _dt.datetime:
    """The epoch as a naive UTC datetime, kept inside what a zip file can date (1980–2107)."""
    moment = units.moment(epoch).replace(tzinfo=None)
    return min(max(moment, _dt.datetime(1980, 1, 1)), _dt.datetime(2107, 12, 31, 23, 59, 58))


MAX_PROPERTY = 255  # python-pptx refuses a longer core property (PowerPoint's File › Info holds no more)


def fit_property(text: str | None) -> str | None:
    """A core property's text within 255 characters: a longer one cut at a word boundary near the limit, with '…'
    (the loader warns about it; the slides show the whole text)."""
    if text is None or len(text) <= MAX_PROPERTY:
        return text
    head = text[: MAX_PROPERTY - 1]
    space = head.rfind(" ", MAX_PROPERTY - 40)
    return (head[:space] if space > 0 else head).rstrip() + "…"


def set_properties(prs, plan: DeckPlan, epoch: int) -> None:
    info = plan.info
    when = units.moment(epoch).replace(tzinfo=None)
    cp = prs.core_properties
    cp.title = fit_property(info.title)
    cp.author = fit_property("; ".join(info.authors))
    cp.subject = fit_property(info.subtitle)
    cp.keywords = fit_property(", ".join(info.keywords))
    cp.language = fit_property(info.language)
    cp.comments = ""
    cp.category = ""
    cp.created = when
    cp.modified = when
    cp.last_modified_by = "deckgen"
    cp.revision = 1
    notes = sum(1 for s in plan.slides if s.notes)
    app = next((p for p in prs.part.package.iter_parts() if str(p.partname) == "/docProps/app.xml"), None)
    if app is None:  # a template without extended properties (a package not saved by PowerPoint)
        from pptx.opc.constants import CONTENT_TYPE as CT, RELATIONSHIP_TYPE as RT
        from pptx.opc.package import Part
        from pptx.opc.packuri import PackURI

        app = Part(PackURI("/docProps/app.xml"), CT.OFC_EXTENDED_PROPERTIES, prs.part.package, b"")
        prs.part.package.relate_to(app, RT.EXTENDED_PROPERTIES)
    app._blob = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f"<TotalTime>0</TotalTime><Application>deckgen</Application>"
        f"<PresentationFormat>Widescreen</PresentationFormat><Slides>{len(plan.slides)}</Slides>"
        f"<Notes>{notes}</Notes><HiddenSlides>0</HiddenSlides><ScaleCrop>false</ScaleCrop>"
        "<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged>"
        "</Properties>"
    ).encode("utf-8")


def fixed_xlsx(blob: bytes, epoch: int) -> bytes:
    """The chart's embedded workbook without the writer's clock time (XlsxWriter stamps 'created' with now)."""
    stamp = zip_moment(epoch).strftime("%Y-%m-%dT%H:%M:%SZ")

    def fix(name: str, data: bytes) -> bytes:
        if name == "docProps/core.xml":
            return re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp.encode(), data)
        if name == "docProps/app.xml":
            return re.sub(rb"<AppVersion>[^<]*</AppVersion>", b"", data)
        return data

    return rezip(blob, epoch, fix)


def fixed_zip(data: bytes, epoch: int) -> bytes:
    """The package with every entry dated from the epoch: same entries, order and compression, no clock time."""
    try:
        return _redated(data, epoch)
    except (ValueError, struct.error, zipfile.BadZipFile):
        return rezip(data, epoch, lambda name, content: content)


def _redated(data: bytes, epoch: int) -> bytes:
    """What `rezip` makes of a package python-pptx wrote (its entries deflated as rezip deflates them), made by
    rewriting each entry's date, system and attributes in place instead of inflating and deflating every part."""
    moment = zip_moment(epoch)
    date = (moment.year - 1980) << 9 | moment.month << 5 | moment.day
    time = moment.hour << 11 | moment.minute << 5 | moment.second // 2
    out = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        infos = zf.infolist()
        pos = zf.start_dir
    for info in infos:
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) or info.extra or info.comment or info.flag_bits & 0x08:
            raise ValueError("an entry rezip would write otherwise")
        local = info.header_offset
        if out[local:local + 4] != b"PK\x03\x04" or out[pos:pos + 4] != b"PK\x01\x02":
            raise ValueError("unexpected zip layout")
        struct.pack_into("<HH", out, local + 10, time, date)
        out[pos + 4:pos + 6] = bytes((20, 3))  # made by: version 2.0, Unix
        struct.pack_into("<HH", out, pos + 12, time, date)
        struct.pack_into("<I", out, pos + 38, 0o644 << 16)
        n, e, c = struct.unpack_from("<HHH", out, pos + 28)
        pos += 46 + n + e + c
    return bytes(out)


def rezip(data: bytes, epoch: int, fix) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        return write_zip([(i.filename, fix(i.filename, src.read(i.filename)), i.compress_type) for i in src.infolist()], epoch)


def write_zip(entries: list[tuple[str, bytes, int]], epoch: int) -> bytes:
    """A zip of (name, content, compression) entries in that order, every one dated from the epoch, no clock time."""
    moment = zip_moment(epoch)
    stamp = (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name, content, compression in entries:
            entry = zipfile.ZipInfo(name, date_time=stamp)
            entry.compress_type = compression
            entry.create_system = 3
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, content)
    return out.getvalue()
