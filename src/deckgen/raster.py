"""Pictures of the products as PNG: SVG slides (CairoSVG), PDF pages (pypdfium2) and the numbered contact sheet (Pillow)."""
from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from .theme import assets_dir

SLIDE_PX = 1280  # a slide's PNG width (960 pt at 96 dpi, as a screen shows it at 100 %)
PAGE_DPI = 96


def svg_png(svg: str, width_px: int = SLIDE_PX) -> bytes:
    """An SVG document as a PNG `width_px` wide."""
    import cairosvg

    return cairosvg.svg2png(bytestring=svg.encode("utf-8"), output_width=width_px)


def pdf_pngs(data: bytes, dpi: float = PAGE_DPI, width_px: int | None = None) -> list[bytes]:
    """Every page of a PDF as a PNG, at `dpi` (or `width_px` wide)."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        out = []
        for i in range(len(pdf)):
            page = pdf[i]
            scale = width_px / page.get_width() if width_px else dpi / 72
            image = page.render(scale=scale).to_pil()
            page.close()
            out.append(_png(image))
        return out
    finally:
        pdf.close()


def _survey(data: bytes, salt: str) -> list[tuple[str, str]]:
    """(fingerprint, text) of every page, in one pass: the fingerprint a digest of what the page shows — its text, and
    the kind, bounds and transform of every object on it — to tell the pages an edit changed from those it left alone
    (`salt`: what else the look depends on, e.g. the theme)."""
    import hashlib

    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        out = []
        for i in range(len(pdf)):
            page = pdf[i]
            h = hashlib.sha256(salt.encode())
            h.update(repr((page.get_width(), page.get_height())).encode())
            textpage = page.get_textpage()
            text = textpage.get_text_range()
            textpage.close()
            h.update(text.encode())
            for obj in page.get_objects(max_depth=4):
                h.update(repr((obj.type, [round(v, 2) for v in obj.get_bounds()], [round(v, 4) for v in obj.get_matrix().get()])).encode())
            page.close()
            out.append((h.hexdigest()[:24], text))
        return out
    finally:
        pdf.close()


@dataclass
class Rasterised:
    """A PDF's pages as PNGs (`pngs`), how many had to be rendered (the others came from the cache), each page's text."""

    pngs: list[bytes]
    rendered: int
    texts: list[str]


def pdf_pngs_cached(data: bytes, cache: dict[str, bytes], dpi: float = PAGE_DPI, salt: str = "", fast: bool = False) -> Rasterised:
    """Every page as a PNG, rendering only pages whose fingerprint is not in `cache` (which is updated; it keeps only
    this document's pages). `fast`: PNGs compressed at zlib's fastest level (larger files, a few times quicker: for
    pictures sent to a browser on this machine)."""
    import pypdfium2 as pdfium

    survey = _survey(data, f"{salt}|{dpi}")
    prints = [fp for fp, _ in survey]
    missing = [i for i, fp in enumerate(prints) if fp not in cache]
    fresh: dict[str, bytes] = {}
    if missing:
        pdf = pdfium.PdfDocument(data)
        try:
            for i in missing:
                page = pdf[i]
                fresh[prints[i]] = _png(page.render(scale=dpi / 72).to_pil(), level=1 if fast else 6)
                page.close()
        finally:
            pdf.close()
    pngs = [cache.get(fp) or fresh[fp] for fp in prints]
    cache.clear()
    cache.update(zip(prints, pngs))
    return Rasterised(pngs, len(missing), [text for _, text in survey])


def contact_sheet(slides: Sequence[bytes], pages: Sequence[bytes], title: str = "", cell: int = 300, columns: int = 5) -> bytes:
    """Slides, then pages, as numbered thumbnails in a grid (slides `columns` to a row, pages one more), on one PNG."""
    from PIL import Image, ImageDraw, ImageFont

    fonts = assets_dir() / "fonts"
    label_font = ImageFont.truetype(str(fonts / "Carlito-Regular.ttf"), 15)
    head_font = ImageFont.truetype(str(fonts / "Carlito-Bold.ttf"), 20)
    gap, label = 16, 22
    slide_h = round(cell * 9 / 16)
    page_w = round(cell * 0.8)
    page_h = round(page_w * 297 / 210)
    page_cols = columns + 1
    rows_s = -(-len(slides) // columns) if slides else 0
    rows_p = -(-len(pages) // page_cols) if pages else 0
    width = max(columns * (cell + gap), page_cols * (page_w + gap)) + gap
    head = 34
    height = gap + (head if title else 0) + (head + rows_s * (slide_h + label + gap) if slides else 0) + \
        (head + rows_p * (page_h + label + gap) if pages else 0)
    sheet = Image.new("RGB", (width, height), (242, 244, 247))
    draw = ImageDraw.Draw(sheet)
    y = gap
    if title:
        draw.text((gap, y), title, fill=(31, 58, 95), font=head_font)
        y += head
    for kind, items, w, h, cols in (("slide", slides, cell, slide_h, columns), ("page", pages, page_w, page_h, page_cols)):
        if not items:
            continue
        draw.text((gap, y + 6), f"{'Deck' if kind == 'slide' else 'Brief'}: {len(items)} {kind}s", fill=(86, 93, 107), font=head_font)
        y += head
        for k, data in enumerate(items):
            r, col = divmod(k, cols)
            x0, y0 = gap + col * (w + gap), y + r * (h + label + gap)
            thumb = Image.open(io.BytesIO(data)).convert("RGB")
            thumb.thumbnail((w, h), Image.Resampling.LANCZOS)
            sheet.paste(thumb, (x0, y0))
            draw.rectangle((x0 - 1, y0 - 1, x0 + thumb.width, y0 + thumb.height), outline=(200, 205, 212))
            draw.text((x0, y0 + thumb.height + 3), f"{kind} {k + 1}", fill=(34, 34, 34), font=label_font)
        y += -(-len(items) // cols) * (h + label + gap)
    return _png(sheet, title)


def _png(image, title: str = "", level: int = 6) -> bytes:
    """PNG bytes (no time stamp: the same picture gives the same bytes); `title` as the PNG's Title text; `level`
    zlib's compression level."""
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    if title:
        info.add_itxt("Title", title)
    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=False, pnginfo=info, compress_level=level)
    return buf.getvalue()
