"""PDF/A-2a and PDF/UA-1 of the brief: XMP, sRGB output intent, embedded fonts, no encryption or scripts, fixed ID —
and a validator (the structure tree itself: test_brief_access.py)."""
from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pytest

import deckgen
from conftest import DEFAULT, MINI
from deckgen.chartcache import ChartStore
from deckgen.layout.brief import plan_brief
from deckgen.theme import load_theme
from deckgen.typeset import typesetting
from deckgen.writers.pdf import write_brief

EPOCH = 1713484800  # 2024-04-19T00:00:00Z
POLISH = Path(__file__).resolve().parent / "fixtures" / "polish.yaml"
CASES = {"default": DEFAULT, "mini": MINI, "polish": POLISH}


def _brief(doc: deckgen.Document) -> bytes:
    ctx = typesetting(load_theme(), language=doc.outline.meta.language)
    plan, _ = plan_brief(doc.outline, ctx)
    return write_brief(plan, ctx, EPOCH, ChartStore(ctx.theme).pdf)


def _validator():
    """page-validation (the `test` extra): required, a missing validator fails rather than skips."""
    try:
        import page
    except ImportError:
        pytest.fail("the PDF/A validator is missing: pip install -e '.[test]' (page-validation)")
    return page


@pytest.fixture(scope="module", params=sorted(CASES))
def case(request) -> tuple[deckgen.Document, bytes]:
    doc = deckgen.load(CASES[request.param])
    return doc, _brief(doc)


def test_xmp_declares_pdfa_2a_and_pdfua_1_and_mirrors_the_info_dictionary(case):
    doc, pdf = case
    meta = doc.outline.meta
    with pikepdf.open(io.BytesIO(pdf)) as p:
        stream = p.Root.Metadata
        assert stream.Type == "/Metadata" and stream.Subtype == "/XML"
        xmp = p.open_metadata()
        assert xmp["pdfaid:part"] == "2" and xmp["pdfaid:conformance"] == "A"
        assert xmp["pdfuaid:part"] == "1"
        assert b"<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>" in stream.read_bytes()  # the schema PDF/A must be told of
        assert xmp["dc:title"] == str(p.docinfo.Title) == deckgen.inline.plain(meta.title)
        assert list(xmp["dc:creator"]) == [deckgen.inline.plain(a) for a in meta.authors]
        assert str(p.docinfo.Author) == ", ".join(deckgen.inline.plain(a) for a in meta.authors)
        assert xmp["xmp:CreateDate"] == xmp["xmp:ModifyDate"] == "2024-04-19T00:00:00Z"
        assert str(p.docinfo.CreationDate) == "D:20240419000000+00'00'"
        assert xmp["pdf:Producer"] == str(p.docinfo.Producer) == "deckgen"
        assert xmp["pdf:Keywords"] == str(p.docinfo.Keywords) == ", ".join(meta.keywords)
        assert str(p.Root.Lang) == meta.language
        assert b"<?xpacket end=" in stream.read_bytes()


def test_srgb_output_intent_with_an_icc_profile(case):
    _, pdf = case
    with pikepdf.open(io.BytesIO(pdf)) as p:
        intents = p.Root.OutputIntents
        assert len(intents) == 1
        intent = intents[0]
        assert intent.S == "/GTS_PDFA1" and str(intent.OutputConditionIdentifier) == "sRGB"
        icc = intent.DestOutputProfile.read_bytes()
        assert intent.DestOutputProfile.N == 3
        assert icc[36:40] == b"acsp" and icc[16:20] == b"RGB " and int.from_bytes(icc[:4], "big") == len(icc)
        for page in p.pages:
            assert page.Group.S == "/Transparency" and page.Group.CS == "/DeviceRGB"


def _fonts(resources, seen) -> list:
    if resources is None:
        return []
    found = list((resources.get("/Font") or {}).values())
    for xobj in (resources.get("/XObject") or {}).values():
        if xobj.get("/Subtype") == "/Form" and xobj.objgen not in seen:
            seen.add(xobj.objgen)
            found += _fonts(xobj.get("/Resources"), seen)
    return found


def test_every_font_embedded_no_encryption_no_javascript_and_a_fixed_id(case):
    _, pdf = case
    with pikepdf.open(io.BytesIO(pdf)) as p:
        assert not p.is_encrypted and "/Encrypt" not in p.trailer
        seen: set = set()
        for font in (f for page in p.pages for f in _fonts(page.get("/Resources"), seen)):
            if font.Subtype == "/Type3":
                continue
            face = font.DescendantFonts[0] if font.Subtype == "/Type0" else font
            assert any(k in face.FontDescriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font.BaseFont
        assert "/JavaScript" not in p.Root.get("/Names", {}) and "/OpenAction" not in p.Root and "/AA" not in p.Root
        for obj in p.objects:
            if isinstance(obj, pikepdf.Dictionary):
                assert obj.get("/S") not in ("/JavaScript", "/Launch")
        for page in p.pages:
            for annot in page.get("/Annots", []):
                assert int(annot.F) & 4  # printable
        first, second = p.trailer.ID
        assert len(bytes(first)) == len(bytes(second)) == 16
    # the ID is fixed: the same input gives it (and the whole tail of the file) again
    assert pdf[-200:] == _brief(case[0])[-200:]


@pytest.mark.parametrize("profile", ["PDF_A_2A", "PDF_UA_1"])
def test_the_page_validator_finds_pdfa_2a_and_pdfua_1_conformant(case, profile):
    page = _validator()
    _, pdf = case
    report = page.validate_pdf_bytes(pdf, profile=profile)
    assert report.is_compliant, [(f.rule_id, f.message) for f in report.failures]
    assert report.rules.total > 50  # a real rule set ran


def test_the_validator_rejects_a_brief_without_the_pdfa_parts(case):
    page = _validator()
    _, pdf = case
    with pikepdf.open(io.BytesIO(pdf)) as p:
        del p.Root.OutputIntents
        del p.Root.Metadata
        out = io.BytesIO()
        p.save(out)
    report = page.validate_pdf_bytes(out.getvalue(), profile="PDF_A_2A")
    assert not report.is_compliant
