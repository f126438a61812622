"""Finish the typeset brief with pikepdf: place the vector charts, add the structure tree, make it PDF/A-2a and
PDF/UA-1, save it deterministically."""
from __future__ import annotations

import dataclasses
import io
from collections.abc import Callable

import pikepdf

from ...errors import RenderError
from ...memo import Memo
from ...inline import Note, Run
from ...layout import brief as bp
from ...model import Chart
from ...units import moment
from .pages import Typeset
from .cidzero import no_cid_zero
from .structure import add_structure, clean_fonts, ua_schema

# The chart of a figure as a one-page PDF, drawn `width` x `height` points (chartcache.get_or_render, a ChartStore, …).
ChartPdf = Callable[[Chart, float, float], bytes]

_INFO_KEYS = ("/Title", "/Author", "/Subject", "/Keywords", "/Creator", "/Producer", "/CreationDate", "/ModDate")


def finish(done: Typeset, plan: bp.BriefPlan, epoch: int, chart_pdf: ChartPdf) -> bytes:
    """The final PDF: each figure's chart drawn in its box, document-level settings, PDF/A-2b, dates from `epoch`."""
    pdf = pikepdf.open(io.BytesIO(done.pdf))
    keep: list[pikepdf.Pdf] = []
    for slot in done.slots:
        fig = slot.figure
        width, height = float(fig.width), float(fig.height)
        data = chart_pdf(fig.spec(), width, height, plan.info.language)
        try:
            chart = _open_chart(data)
        except pikepdf.PdfError as exc:
            raise RenderError(f"chart '{fig.chart_id}' did not render as a PDF: {exc}") from exc
        keep.append(chart)
        rect = pikepdf.Rectangle(slot.x, slot.y, slot.x + width, slot.y + height)
        _place(pdf.pages[slot.page - 1], chart.pages[0], pikepdf.Name(f"/Figure{fig.number}"), rect, slot.mcid)
    tagged = done.marker is not None
    if tagged:
        add_structure(pdf, done.marker.root, done.marker.links, _describer(plan))
        clean_fonts(pdf)
    pdf.Root.Lang = pikepdf.String(plan.info.language)
    pdf.Root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
    pdf.Root.PageMode = pikepdf.Name.UseOutlines
    stamp = pikepdf.String(moment(epoch).strftime("D:%Y%m%d%H%M%S+00'00'"))
    pdf.docinfo[pikepdf.Name.CreationDate] = stamp
    pdf.docinfo[pikepdf.Name.ModDate] = stamp
    _pdfa(pdf, plan, epoch, tagged)
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True, compress_streams=True, fix_metadata_version=False)
    for other in keep:
        other.close()
    pdf.close()
    return _unambiguous_lengths(out.getvalue())


_CLEAN: Memo[bytes, bool] = Memo(256)  # digests of chart PDFs no_cid_zero found nothing to renumber in (a session's rebuilds)


def _open_chart(data: bytes) -> pikepdf.Pdf:
    """A chart's PDF opened with no text showing CID 0 (no_cid_zero: matplotlib numbers its subset of characters
    beyond Latin-1 from 0); a chart found clean once is not searched again."""
    import hashlib

    key = hashlib.sha256(data).digest()
    chart = pikepdf.open(io.BytesIO(data))
    if key not in _CLEAN and not no_cid_zero(chart.pages[0], chart):
        _CLEAN.keep(key, True)
    return chart


def _place(page: pikepdf.Page, chart: pikepdf.Page, name: pikepdf.Name, rect: pikepdf.Rectangle, mcid: int | None = None) -> None:
    """Draw a chart's page as a Form XObject in rect, under a fixed resource name (pikepdf's add_overlay picks a random
    one); with `mcid`, as the marked content of its Figure element."""
    form = chart.as_form_xobject()
    page.add_resource(form, pikepdf.Name.XObject, name, replace_existing=False)
    placement = page.calc_form_xobject_placement(form, name, rect, allow_shrink=True, allow_expand=True)
    if mcid is not None:
        placement = b"/Figure <</MCID %d>> BDC\n" % mcid + placement + b"\nEMC\n"
    page.contents_add(b"q\n", prepend=True)
    page.contents_add(b"Q\n", prepend=False)
    page.contents_add(placement, prepend=False)
    page.contents_coalesce()


def _unambiguous_lengths(data: bytes) -> bytes:
    """Re-save until no content stream's raw data ends in CR: PDF/A validators read CR + LF before 'endstream' as one EOL."""
    if b"\r\nendstream" not in data:  # qpdf ends every stream's data with LF + 'endstream': none ends in CR
        return data
    for _ in range(8):
        with pikepdf.open(io.BytesIO(data)) as pdf:
            fixed = 0
            for obj in pdf.objects:
                if not isinstance(obj, pikepdf.Stream) or not obj.read_raw_bytes().endswith(b"\r"):
                    continue
                is_content = obj.get("/Subtype") == pikepdf.Name.Form or "/Type" not in obj and "/Subtype" not in obj and "/Length1" not in obj
                if is_content:
                    obj.write(obj.read_bytes() + b"\n")  # a trailing newline changes the compressed bytes, not the drawing
                elif not _recompress(obj):
                    raise RenderError("a PDF stream ends in CR and cannot be padded (PDF/A would reject it)")
                fixed += 1
            if not fixed:
                return data
            out = io.BytesIO()
            # streams already compressed stay as they are (a recompressed font program keeps its level)
            pdf.save(out, deterministic_id=True, compress_streams=True, fix_metadata_version=False,
                     stream_decode_level=pikepdf.StreamDecodeLevel.none)
            data = out.getvalue()
    raise RenderError("could not write PDF streams without a trailing CR")


def _recompress(obj: pikepdf.Stream) -> bool:
    """A font program whose compressed bytes end in CR (the last byte of the zlib checksum, the byte sum mod 65521:
    no compression level changes it) padded with four bytes after its last table, which font readers ignore, their
    sum changing the checksum; False for other streams."""
    import zlib

    if "/Length1" not in obj or obj.get("/Filter") != pikepdf.Name.FlateDecode or "/DecodeParms" in obj:
        return False
    data = obj.read_bytes()
    for pad in range(1, 5):
        padded = data + bytes([0, 0, 0, pad])
        packed = zlib.compress(padded, 9)
        if not packed.endswith(b"\r"):
            obj.write(packed, filter=pikepdf.Name.FlateDecode)
            obj.Length1 = len(padded)
            return True
    return False


def _srgb_icc() -> bytes:
    """An sRGB ICC profile, made the same way every time (littleCMS's built-in sRGB)."""
    from PIL import ImageCms

    icc = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    icc[24:36] = bytes(12)  # the header's creation date-time: littleCMS writes the current time
    icc[84:100] = bytes(16)  # the profile ID (an MD5 over the header): zero means "not computed"
    return bytes(icc)


def _xmp(pdf: pikepdf.Pdf, plan: bp.BriefPlan, epoch: int, tagged: bool = True) -> None:
    """PDF/A-2a (tagged) or 2b XMP metadata mirroring the Info dictionary, with the PDF/UA-1 identification when
    tagged, written through pikepdf's metadata API; dates from the epoch (pikepdf is not named as editor, so it adds no
    dates or producer of its own: the same input, the same XMP)."""
    info = plan.info
    when = moment(epoch).strftime("%Y-%m-%dT%H:%M:%SZ")
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
        xmp["pdfaid:part"] = "2"
        xmp["pdfaid:conformance"] = "A" if tagged else "B"
        if tagged:
            xmp["pdfuaid:part"] = "1"
        xmp["dc:format"] = "application/pdf"
        xmp["dc:title"] = info.title
        if info.authors:
            xmp["dc:creator"] = list(info.authors)
        xmp["dc:description"] = info.subject
        xmp["dc:language"] = {info.language}
        xmp["xmp:CreateDate"] = when
        xmp["xmp:ModifyDate"] = when
        xmp["xmp:MetadataDate"] = when
        xmp["xmp:CreatorTool"] = "deckgen"
        xmp["pdf:Producer"] = "deckgen"
        xmp["pdf:Keywords"] = ", ".join(info.keywords)
    if tagged:
        ua_schema(pdf)


def _pdfa(pdf: pikepdf.Pdf, plan: bp.BriefPlan, epoch: int, tagged: bool = True) -> None:
    """Make the document PDF/A-2a (2b untagged): XMP metadata, an sRGB output intent, printable annotations, page groups."""
    info = plan.info
    pdf.docinfo[pikepdf.Name.Title] = pikepdf.String(info.title)
    pdf.docinfo[pikepdf.Name.Author] = pikepdf.String(", ".join(info.authors))
    pdf.docinfo[pikepdf.Name.Subject] = pikepdf.String(info.subject)
    pdf.docinfo[pikepdf.Name.Keywords] = pikepdf.String(", ".join(info.keywords))
    pdf.docinfo[pikepdf.Name.Creator] = pikepdf.String("deckgen")
    pdf.docinfo[pikepdf.Name.Producer] = pikepdf.String("deckgen")
    for key in list(pdf.docinfo.keys()):
        if key not in _INFO_KEYS:
            del pdf.docinfo[key]
    _xmp(pdf, plan, epoch, tagged)
    icc = pdf.make_stream(_srgb_icc())
    icc.N = 3
    pdf.Root.OutputIntents = pikepdf.Array([pikepdf.Dictionary(
        Type=pikepdf.Name.OutputIntent, S=pikepdf.Name.GTS_PDFA1, OutputConditionIdentifier=pikepdf.String("sRGB"),
        Info=pikepdf.String("sRGB IEC61966-2.1"), DestOutputProfile=icc,
    )])
    for page in pdf.pages:
        page.obj.Group = pikepdf.Dictionary(Type=pikepdf.Name.Group, S=pikepdf.Name.Transparency, CS=pikepdf.Name.DeviceRGB)
        for annot in page.obj.get("/Annots", []):
            annot.F = 4  # Print
        _strip_default_spaces(page.obj)


def _strip_default_spaces(page: pikepdf.Dictionary) -> None:
    """Remove /DefaultRGB|Gray colour-space overrides (device colour is covered by the output intent)."""
    seen: set = set()

    def visit(res):
        if not isinstance(res, pikepdf.Dictionary) or res.objgen in seen and res.objgen != (0, 0):
            return
        seen.add(res.objgen)
        cs = res.get("/ColorSpace")
        if isinstance(cs, pikepdf.Dictionary):
            for k in ("/DefaultRGB", "/DefaultGray", "/DefaultCMYK"):
                if k in cs:
                    del cs[k]
        for xo in (res.get("/XObject") or {}).values():
            if isinstance(xo, pikepdf.Stream) and "/Resources" in xo:
                visit(xo.Resources)

    visit(page.get("/Resources"))


def _describer(plan: bp.BriefPlan) -> Callable[[str], str]:
    """What a link is, for its annotation's /Contents: a source's number and title, a note's text, a link's own text."""
    texts: dict[str, str] = {}

    def visit(value) -> None:
        if isinstance(value, Note):
            if value.text and value.body:
                texts.setdefault(f"#note-{value.text}", f"{value.text} " + "".join(r.text for r in value.body))
        elif isinstance(value, Run):
            if value.url:
                texts[value.url] = texts.get(value.url, "") or value.text
        elif isinstance(value, bp.Reference):
            title = "".join(r.text for r in value.title)
            texts[f"#{value.anchor}"] = f"[{value.number}] {title}"
            if value.url:
                texts.setdefault(value.url, f"{title}: {value.url}")
        elif isinstance(value, (tuple, list)):
            for v in value:
                visit(v)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            for f in dataclasses.fields(value):
                visit(getattr(value, f.name))

    visit(plan.blocks)
    return lambda target: (texts.get(target) or target).strip() or target


def page_count(data: bytes) -> int:
    """The number of pages of a PDF made by write_brief (for the build manifest)."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return len(pdf.pages)
