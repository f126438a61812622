"""The template corpus: real third-party PowerPoint templates, the decks deckgen builds on them, their renders, checks.

Not a test module. tests/conftest.py exposes one `Corpus` per session (fixture `corpus`); every expensive step is done
once per session and cached: converting LibreOffice's templates (one soffice run for all of them), building each deck,
planning each outline, rendering each deck to PDF (one soffice run per deck) and to PNG (one pdftoppm run per deck).
A step that fails is cached as its failure, so every test that needs it fails with the same message and it is not
retried.

The check functions return a list of problems (strings naming slide, word and numbers); an empty list means it passed.
"""
from __future__ import annotations

import hashlib
import json
import shutil
import statistics
import subprocess
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pptx import Presentation
from pptx.util import Emu, Mm

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTLINE = ROOT / "outlines" / "us-japan-2024.yaml"
BUILTIN_LOGO = ROOT / "assets" / "templates" / "logo.png"
LIBREOFFICE_TEMPLATES_DIR = Path("/usr/lib/libreoffice/share/template/common/presnt")

# LibreOffice Impress's bundled templates (MPL-2.0, shipped by Debian's libreoffice-common), converted to .pptx at test
# time. Chosen to differ: light / dark, picture backgrounds, 16:9 (793.8 x 446.5 pt) and 4:3 (793.8 x 595.2 pt),
# one to eleven masters. Their layouts are named "Title Slide", "Title, Content", "Title Only", "Title, 2 Content", ...
LIBREOFFICE = {
    "Beehive": "light: white with a yellow honeycomb edge, 2 masters",
    "Midnightblue": "dark: navy and teal masters (one with a white content area), 3 masters",
    "Metropolis": "dark: a blue gradient over the whole slide with a ribbon, 1 master",
    "Vintage": "4:3, picture background (old paper) with a red bookmark, 4 masters",
    "Candy": "picture backgrounds (sweets, colour bands), 11 masters, 13 example slides",
}
# Made from python-pptx's own default template (python-pptx is MIT): its 4:3 720 x 540 pt template with the layouts
# "Title Slide", "Title and Content", "Title Only", ...; and the same resized to A4 landscape (841.9 x 595.3 pt).
PYTHON_PPTX = {
    "python-pptx-default": "python-pptx's default template: 4:3, 720 x 540 pt, 1 master, 11 layouts",
    "python-pptx-a4": "python-pptx's default template resized to A4 landscape, 297 x 210 mm",
}
CORPUS = [*LIBREOFFICE, *PYTHON_PPTX]
BUILTIN = "builtin"  # the default outline on deckgen's own template: what works today, the checks' control case

MIN_CONTRAST = 4.5
BOX_TOLERANCE = 1.5  # pt a rendered word may stick out of its shape's box
LINE_TOLERANCE = 2.0  # pt between two words' tops for them to be on one rendered line
PNG_DPI = 72  # 1 px = 1 pt
SOFFICE_TIMEOUT = 300


class CorpusError(AssertionError):
    """A step of the corpus pipeline failed; the message says which template and what happened."""


def _short(text: str, limit: int = 1500) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[:limit] + " …"


# ---------------------------------------------------------------- LibreOffice


def soffice(profile: Path, *args: str) -> None:
    """Run headless LibreOffice with its own user profile (two runs sharing a profile at once silently write nothing)."""
    if not shutil.which("soffice"):
        raise CorpusError("LibreOffice (soffice) is required — .ci/run installs libreoffice-impress")
    cmd = ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", *args]
    proc = subprocess.run(cmd, check=False, capture_output=True, text=True, timeout=SOFFICE_TIMEOUT)
    if proc.returncode:
        raise CorpusError(f"soffice failed ({proc.returncode}): {' '.join(cmd)}\n{_short(proc.stderr + proc.stdout)}")


def convert_libreoffice_templates(names, out_dir: Path, profile: Path) -> dict[str, Path]:
    """LibreOffice's bundled .otp templates as .pptx, all in one soffice run; every output file is checked."""
    sources = [LIBREOFFICE_TEMPLATES_DIR / f"{name}.otp" for name in names]
    missing = [str(s) for s in sources if not s.is_file()]
    if missing:
        raise CorpusError(f"LibreOffice's bundled templates are missing: {missing} — .ci/run installs libreoffice-impress "
                          "(which pulls in libreoffice-common)")
    out_dir.mkdir(parents=True, exist_ok=True)
    soffice(profile, "--convert-to", "pptx", "--outdir", str(out_dir), *map(str, sources))
    out = {name: out_dir / f"{name}.pptx" for name in names}
    absent = [str(p) for p in out.values() if not p.is_file()]
    if absent:
        raise CorpusError(f"soffice exited 0 but wrote nothing for {absent} (a profile shared with another soffice?)")
    return out


def render_pdf(pptx: Path, out_dir: Path, profile: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    soffice(profile, "--convert-to", "pdf", "--outdir", str(out_dir), str(pptx))
    pdf = out_dir / (pptx.stem + ".pdf")
    if not pdf.is_file():
        raise CorpusError(f"soffice exited 0 but wrote no PDF for {pptx}")
    return pdf


def render_pngs(pdf: Path, out_dir: Path, dpi: int = PNG_DPI) -> list[Path]:
    if not shutil.which("pdftoppm"):
        raise CorpusError("pdftoppm is required — .ci/run installs poppler-utils")
    out_dir.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(out_dir / "page")], check=True,
                   capture_output=True, timeout=SOFFICE_TIMEOUT)
    return sorted(out_dir.glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))


# ---------------------------------------------------------------- templates made with python-pptx


def make_python_pptx_default(path: Path) -> Path:
    """python-pptx's own default template, saved as it is (4:3, 720 x 540 pt)."""
    Presentation().save(str(path))
    return path


def make_python_pptx_a4(path: Path) -> Path:
    """python-pptx's default template with its slide size set to A4 landscape — an odd size nobody designed for."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = Mm(297), Mm(210)
    prs.save(str(path))
    return path


# ---------------------------------------------------------------- outlines, decks


def write_outline(template: Path, folder: Path) -> Path:
    """The default outline with `theme: {template: <file>}` and no theme.layouts, next to a copy of the template."""
    folder.mkdir(parents=True, exist_ok=True)
    if template.parent != folder:
        shutil.copy(template, folder / template.name)
    data = yaml.safe_load(DEFAULT_OUTLINE.read_text(encoding="utf-8"))
    data["theme"] = {"template": template.name}
    path = folder / "outline.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def outline_on(template: Path, folder: Path) -> Path:
    """The default outline as written (its comments and layout kept) with `theme: {template: <file>}`, next to the
    template (which must lie in `folder`): an edit of the outline's text then reads as in the default outline."""
    outline = folder / "outline.yaml"
    text = DEFAULT_OUTLINE.read_text(encoding="utf-8")
    assert "\ntheme: default" in text
    outline.write_text(text.replace("\ntheme: default", f"\ntheme: {{template: {template.name}}}"), encoding="utf-8")
    return outline


def slide_size_pt(prs) -> tuple[float, float]:
    return Emu(prs.slide_width).pt, Emu(prs.slide_height).pt


def picture_hashes(pptx: Path) -> set[str]:
    """sha256 of every media file in the package (pictures on slides, layouts and masters)."""
    with zipfile.ZipFile(pptx) as z:
        return {hashlib.sha256(z.read(n)).hexdigest() for n in z.namelist() if n.startswith("ppt/media/")}


def builtin_logo_hash() -> str:
    return hashlib.sha256(BUILTIN_LOGO.read_bytes()).hexdigest()


# ---------------------------------------------------------------- shapes and their boxes


@dataclass
class Box:
    left: float
    top: float
    right: float
    bottom: float
    text: str  # the shape's text, paragraphs joined by newlines ("" for a chart or picture)
    where: str  # "slide", "layout" or "master"
    name: str = ""

    def holds(self, w: dict, tol: float = BOX_TOLERANCE) -> bool:
        return (self.left - tol <= w["x0"] and w["x1"] <= self.right + tol
                and self.top - tol <= w["top"] and w["bottom"] <= self.bottom + tol)

    def centre_in(self, w: dict) -> bool:
        cx, cy = (w["x0"] + w["x1"]) / 2, (w["top"] + w["bottom"]) / 2
        return self.left <= cx <= self.right and self.top <= cy <= self.bottom


def _walk(shapes):
    for sh in shapes:
        if sh.shape_type is not None and getattr(sh, "shapes", None) is not None and not sh.is_placeholder:
            yield from _walk(sh.shapes)  # a group
        else:
            yield sh


def _box(sh, where: str) -> Box | None:
    if sh.left is None or sh.width is None:
        return None
    text = sh.text_frame.text if sh.has_text_frame else ""
    holds = (sh.has_text_frame and text.strip()) or getattr(sh, "has_chart", False) or getattr(sh, "has_table", False)
    if not holds:
        return None
    x, y, w, h = (Emu(v).pt for v in (sh.left, sh.top, sh.width, sh.height))
    return Box(x, y, x + w, y + h, text, where, sh.name)


def slide_boxes(prs) -> list[list[Box]]:
    """Per slide: the box of every shape that can put words on the rendered page — the slide's text shapes, charts and
    tables, and the text shapes its layout and master draw themselves (not their placeholders, which only prompt)."""
    out = []
    for slide in prs.slides:
        boxes = [b for sh in _walk(slide.shapes) if (b := _box(sh, "slide"))]
        for where, owner in (("layout", slide.slide_layout), ("master", slide.slide_layout.slide_master)):
            boxes += [b for sh in _walk(owner.shapes) if not sh.is_placeholder and (b := _box(sh, where))]
        out.append(boxes)
    return out


# ---------------------------------------------------------------- rendered words


def page_words(pdf: Path) -> list[tuple[tuple[float, float], list[dict]]]:
    """Per page: (page width, page height) in pt and the words pdfplumber finds, each with its fill colour."""
    import pdfplumber

    out = []
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            words = page.extract_words(keep_blank_chars=False, use_text_flow=True, extra_attrs=["non_stroking_color"])
            out.append(((float(page.width), float(page.height)), words))
    return out


def rgb_of(colour) -> tuple[int, int, int] | None:
    """A pdfplumber fill colour (grey, RGB or CMYK floats 0-1) as 0-255 RGB; None for a pattern or no colour."""
    if colour is None or isinstance(colour, str):
        return None
    if isinstance(colour, (int, float)):
        colour = (colour,)
    try:
        c = [float(v) for v in colour]
    except (TypeError, ValueError):
        return None
    if len(c) == 1:
        c = c * 3
    elif len(c) == 4:
        k = c[3]
        c = [(1 - v) * (1 - k) for v in c[:3]]
    elif len(c) != 3:
        return None
    return tuple(max(0, min(255, round(v * 255))) for v in c)


def hex_of(rgb) -> str:
    return "".join(f"{v:02X}" for v in rgb)


def background_around(image, w: dict, scale: float, gap: int = 2, ring: int = 3) -> tuple[int, int, int]:
    """The colour behind a word: the per-channel median of a ring of pixels just outside the word's box."""
    px = image.load()
    W, H = image.size
    x0, x1 = int(w["x0"] * scale) - gap, int(w["x1"] * scale) + gap
    y0, y1 = int(w["top"] * scale) - gap, int(w["bottom"] * scale) + gap
    samples = []
    for y in range(y0 - ring, y1 + ring + 1):
        for x in range(x0 - ring, x1 + ring + 1):
            if x0 <= x <= x1 and y0 <= y <= y1:
                continue
            if 0 <= x < W and 0 <= y < H:
                samples.append(px[x, y][:3])
    if not samples:
        return (255, 255, 255)
    return tuple(int(statistics.median(s[i] for s in samples)) for i in range(3))


# ---------------------------------------------------------------- the checks


def check_page_sizes(words, size: tuple[float, float], slides: int) -> list[str]:
    problems = []
    if len(words) != slides:
        problems.append(f"LibreOffice rendered {len(words)} pages for {slides} slides")
    for n, ((pw, ph), _) in enumerate(words, 1):
        if abs(pw - size[0]) > 1 or abs(ph - size[1]) > 1:
            problems.append(f"page {n} is {pw:.1f} x {ph:.1f} pt, the template's slides are {size[0]:.1f} x {size[1]:.1f} pt")
    return problems


def check_words_in_boxes(words, boxes) -> list[str]:
    """Every rendered word lies on the page and inside the box of a shape that can hold it."""
    problems = []
    for n, (((pw, ph), page), slide_boxes) in enumerate(zip(words, boxes), 1):
        for w in page:
            at = f"at {w['x0']:.0f},{w['top']:.0f}-{w['x1']:.0f},{w['bottom']:.0f}"
            if not (-0.5 <= w["x0"] and w["x1"] <= pw + 0.5 and -0.5 <= w["top"] and w["bottom"] <= ph + 0.5):
                problems.append(f"slide {n}: '{w['text']}' {at} is off the {pw:.0f} x {ph:.0f} page")
            elif not any(b.holds(w, tol=4.0 if w["text"] in BULLET_GLYPHS else BOX_TOLERANCE) for b in slide_boxes):
                near = min(slide_boxes, default=None, key=lambda b: abs(b.left - w["x0"]) + abs(b.top - w["top"]))
                hint = f" (nearest box '{near.name}' {near.left:.0f},{near.top:.0f}-{near.right:.0f},{near.bottom:.0f})" if near else ""
                problems.append(f"slide {n}: '{w['text']}' {at} is outside every box{hint}")
    return problems


def check_contrast(words, pngs, minimum: float = MIN_CONTRAST, owned=None) -> list[str]:
    """Every rendered word's fill colour against the rendered pixels around it: WCAG contrast ≥ minimum. Words inside
    text the template's master or layout draws itself (`owned`: per slide, those boxes) are the template author's,
    not deckgen's, and are left out."""
    from PIL import Image

    from deckgen.units import Colour

    problems = []
    if len(pngs) != len(words):
        return [f"{len(pngs)} PNG pages for {len(words)} PDF pages"]
    for n, (((pw, _), page), png) in enumerate(zip(words, pngs), 1):
        image = Image.open(png).convert("RGB")
        scale = image.size[0] / pw
        mine = [b for b in (owned[n - 1] if owned else []) if b.where != "slide"]
        for w in page:
            if any(b.centre_in(w) for b in mine):
                continue
            fg = rgb_of(w.get("non_stroking_color"))
            if fg is None:
                problems.append(f"slide {n}: '{w['text']}' has no plain fill colour ({w.get('non_stroking_color')!r})")
                continue
            bg = background_around(image, w, scale)
            ratio = Colour(hex_of(fg)).contrast(Colour(hex_of(bg)))
            if ratio < minimum:
                problems.append(f"slide {n}: '{w['text']}' #{hex_of(fg)} on #{hex_of(bg)} has contrast {ratio:.2f}:1 "
                                f"(< {minimum}:1) at {w['x0']:.0f},{w['top']:.0f}")
    return problems


_PUNCT = ".,;:!?()[]{}\"'“”‘’«»„"
LINE_BREAKS_AFTER = ("-", "\u2010", "\u2011", "\u2013", "\u2014", "/")  # a line may end after these, inside a word


def _bare(word: str) -> str:
    return word.strip(_PUNCT)


def slide_tokens(prs) -> list[set[str]]:
    """Per slide, the words its text frames and table cells hold (punctuation at their ends removed)."""
    out = []
    for slide in prs.slides:
        texts = []
        for shape in _walk(slide.shapes):
            if getattr(shape, "has_text_frame", False) and shape.has_text_frame:
                texts.append(shape.text_frame.text)
            if getattr(shape, "has_table", False) and shape.has_table:
                texts += [cell.text for row in shape.table.rows for cell in row.cells]
        out.append({_bare(w) for t in texts for w in t.split() if _bare(w)})
    return out


def check_whole_words(words, tokens) -> list[str]:
    """No word broken inside itself across two lines ('bu|t', LibreOffice's way with a long linked run): a rendered
    line's last word and the next line's first word, joined, make a word of the slide while neither is one. A line
    that ends after a dash, hyphen or slash breaks where a line may break."""
    problems = []
    for n, ((_, page), known) in enumerate(zip(words, tokens), 1):
        for a, b in zip(page, page[1:]):
            new_line = b["top"] >= a["bottom"] - 1 and b["x0"] < a["x0"]
            if not new_line or a["text"].endswith(LINE_BREAKS_AFTER):
                continue
            joined = _bare(a["text"] + b["text"])
            if joined in known and _bare(a["text"]) not in known and _bare(b["text"]) not in known:
                problems.append(f"slide {n}: '{joined}' is broken across two lines as '{a['text']}' | '{b['text']}'")
    return problems


# A paragraph's bullet is no line of its own; its glyph box (the bullet font's ascent) may also stand a little above
# the frame while its ink is well inside: these glyphs are left out of the line count and the word-in-box check.
BULLET_GLYPHS = frozenset("•–—■▪◦‣·")


def rendered_lines(page: list[dict], box: Box, tol: float = LINE_TOLERANCE) -> int:
    """How many distinct text lines LibreOffice rendered inside `box`: the words whose centre lies in it and that belong
    to its text, grouped by their top coordinate."""
    tokens = set(box.text.split())
    tops = sorted(w["top"] for w in page if box.centre_in(w) and w["text"] not in BULLET_GLYPHS
                  and (w["text"] in tokens or w["text"] in box.text))
    lines, last = 0, None
    for t in tops:
        if last is None or t - last > tol:
            lines += 1
        last = t
    return lines


def _norm(text: str) -> str:
    return " ".join(text.split())


def runs_text(runs) -> str:
    return "".join(r.get("text", "") for r in runs or [])


def _frame_box(boxes: list[Box], texts: list[str]) -> Box | None:
    """The slide shape holding exactly these paragraphs (else the one that contains them all)."""
    want = _norm(" ".join(texts))
    mine = [b for b in boxes if b.where == "slide" and b.text]
    for b in mine:
        if _norm(b.text.replace("\v", " ")) == want:
            return b
    holding = [b for b in mine if all(_norm(t) in _norm(b.text.replace("\v", " ")) for t in texts if t.strip())]
    return min(holding, key=lambda b: len(b.text), default=None)


NO_LINES = "the plan has no predicted line counts"


def text_frames(slide: dict) -> list[tuple[str, list[str], int | None]]:
    """A plan slide's text frames: (frame, paragraph texts, predicted lines) for its title and its body.

    Relies on the plan JSON: slide["title"] (runs), slide["title_lines"], slide["body"] (paragraphs with "runs" and
    "lines"). A missing count raises CorpusError(NO_LINES ...)."""
    frames = []
    title = runs_text(slide.get("title"))
    if title.strip():
        if "title_lines" not in slide or slide["title_lines"] is None:
            raise CorpusError(f"{NO_LINES}: slide {slide.get('number')} ({slide.get('kind')}) has no 'title_lines'")
        frames.append(("title", [title], int(slide["title_lines"])))
    body = slide.get("body")
    if isinstance(body, list) and body and all(isinstance(p, dict) and "runs" in p for p in body):
        if any(p.get("lines") is None for p in body):
            raise CorpusError(f"{NO_LINES}: slide {slide.get('number')} ({slide.get('kind')}) has body paragraphs "
                              "without 'lines'")
        frames.append(("body", [runs_text(p["runs"]) for p in body], sum(int(p["lines"]) for p in body)))
    return frames


def check_line_counts(plan: dict, words, boxes) -> list[str]:
    """Per text frame: the plan's predicted lines (sum over its paragraphs) against LibreOffice's rendered lines — never
    more than one line short (text the plan did not make room for), and over by at most one line a paragraph: on a
    user's template the planner measures 3 % narrow (FIT_SLACK, its fonts may be stand-ins), so each paragraph whose
    last line nearly fills the frame may be counted a line long, which wastes room but never overflows."""
    slides = plan["slides"]
    if len(slides) != len(words):
        return [f"the plan has {len(slides)} slides, the render {len(words)} pages"]
    problems = []
    for slide, (_, page), slide_boxes in zip(slides, words, boxes):
        n = slide.get("number") or slides.index(slide) + 1
        for frame, texts, predicted in text_frames(slide):
            box = _frame_box(slide_boxes, texts)
            if box is None:
                problems.append(f"slide {n}: no shape on the slide holds the {frame} text {_norm(' '.join(texts))[:60]!r}")
                continue
            got = rendered_lines(page, box)
            if got > predicted + 1 or predicted > got + max(1, len(texts)):
                problems.append(f"slide {n} {frame} ('{box.name}'): the plan predicts {predicted} lines, "
                                f"LibreOffice rendered {got}")
    return problems


# ---------------------------------------------------------------- the session cache


@dataclass
class Deck:
    name: str
    outline: Path
    template: Path | None  # None: deckgen's built-in template
    pptx: Path | None = None
    warnings: list = field(default_factory=list)


class Corpus:
    """Lazily makes, and caches for the session, each template, deck, plan and render. Failures are cached too."""

    def __init__(self, root: Path):
        self.root = root
        self.profile = root / "lo-profile"  # one LibreOffice profile for this session; soffice runs are sequential
        self._cache: dict[tuple[str, str], object] = {}

    def _once(self, key, make):
        if key not in self._cache:
            try:
                self._cache[key] = make()
            except Exception as e:  # noqa: BLE001 - cached and re-raised with context in every test that needs it
                self._cache[key] = e
        value = self._cache[key]
        if isinstance(value, BaseException):
            if isinstance(value, CorpusError):
                raise CorpusError(str(value))
            raise CorpusError(f"{key[0]} of '{key[1]}' failed: {type(value).__name__}: {value}") from value
        return value

    # -- templates
    def _libreoffice(self):
        return convert_libreoffice_templates(list(LIBREOFFICE), self.root / "templates", self.profile)

    def template(self, name: str) -> Path:
        if name in LIBREOFFICE:
            return self._once(("converting the LibreOffice templates", "all"), self._libreoffice)[name]
        makers = {"python-pptx-default": make_python_pptx_default, "python-pptx-a4": make_python_pptx_a4}
        folder = self.root / "templates"
        folder.mkdir(parents=True, exist_ok=True)
        return self._once(("making the template", name), lambda: makers[name](folder / f"{name}.pptx"))

    def template_size(self, name: str) -> tuple[float, float]:
        if name == BUILTIN:
            from deckgen.theme import builtin_template
            return slide_size_pt(Presentation(str(builtin_template())))
        return slide_size_pt(Presentation(str(self.template(name))))

    # -- outlines, decks, plans
    def outline(self, name: str) -> Path:
        if name == BUILTIN:
            return DEFAULT_OUTLINE
        return self._once(("writing the outline", name), lambda: write_outline(self.template(name), self.root / name))

    def deck(self, name: str) -> Deck:
        def make():
            import deckgen

            outline = self.outline(name)
            try:
                result = deckgen.build(outline, self.root / name / "out", formats=("pptx",))
            except Exception as e:
                problems = "; ".join(str(p) for p in getattr(e, "problems", []) or [])
                raise CorpusError(f"deckgen could not build the default outline on template '{name}': "
                                  f"{type(e).__name__}: {e}{' — ' + problems if problems else ''}") from e
            pptx = [p for p in result.paths if Path(p).suffix == ".pptx"]
            if len(pptx) != 1:
                raise CorpusError(f"the build on '{name}' wrote {result.paths}, not one .pptx")
            return Deck(name, outline, None if name == BUILTIN else self.template(name), Path(pptx[0]), result.warnings)
        return self._once(("building the deck", name), make)

    def presentation(self, name: str):
        return Presentation(str(self.deck(name).pptx))

    def plan(self, name: str) -> dict:
        def make():
            import deckgen

            return json.loads(deckgen.plan_json(self.outline(name)))["plan"]
        return self._once(("planning the outline", name), make)

    # -- renders
    def pdf(self, name: str) -> Path:
        deck = self.deck(name)
        return self._once(("rendering the deck", name), lambda: render_pdf(deck.pptx, self.root / name / "render", self.profile))

    def words(self, name: str):
        pdf = self.pdf(name)
        return self._once(("reading the render", name), lambda: page_words(pdf))

    def pngs(self, name: str) -> list[Path]:
        pdf = self.pdf(name)
        return self._once(("rasterising the render", name), lambda: render_pngs(pdf, self.root / name / "png"))

    def boxes(self, name: str) -> list[list[Box]]:
        return self._once(("reading the deck's shapes", name), lambda: slide_boxes(self.presentation(name)))


def template_summary(path: Path) -> dict:
    """Name, size, masters and layouts of a template, for docs and reports."""
    prs = Presentation(str(path))
    layouts = [lay.name for m in prs.slide_masters for lay in m.slide_layouts]
    w, h = slide_size_pt(prs)
    return {"size_pt": (round(w, 1), round(h, 1)), "size_in": (round(w / 72, 2), round(h / 72, 2)),
            "masters": len(prs.slide_masters), "layouts": len(layouts), "layout_names": sorted(set(layouts)),
            "example_slides": len(prs.slides)}

