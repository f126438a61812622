"""The direct font-table reader (sfnt.py) gives what fontTools gives, or leaves the font to fontTools."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from deckgen import metrics, sfnt

ROOT = Path(__file__).resolve().parent.parent


def _system_faces(limit: int = 60) -> list[tuple[str, int]]:
    try:
        out = subprocess.run(["fc-list", "--format", "%{file}\\t%{index}\\n"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    faces = sorted({(f, int(i)) for f, i in (line.split("\t") for line in out.splitlines() if "\t" in line)
                    if i.isdigit() and not int(i) >> 16})
    return faces[:limit]


FACES = sorted({(str(p), 0) for p in (ROOT / "assets" / "fonts").glob("*.[ot]tf")}) + _system_faces()


@pytest.mark.parametrize("path,index", FACES, ids=[f"{Path(p).name}#{i}" for p, i in FACES])
def test_same_cmap_widths_heights_and_name_as_fonttools(path, index):
    try:
        face = sfnt.Face(path, index)
        cmap = face.best_cmap()
        advances, n = face.advances()
        heights = face.line_heights()
        name = face.family_name()
    except sfnt.Unsupported:
        pytest.skip("left to fontTools")
    with TTFont(path, fontNumber=index, lazy=True) as tt:
        best = tt.getBestCmap()
        assert (cmap is None) == (best is None)
        order = tt.getGlyphOrder()
        assert {cp: order[g] for cp, g in (cmap or {}).items()} == (best or {})
        hmtx = tt["hmtx"].metrics
        assert [hmtx[order[g]][0] for g in range(len(order))] == [advances[min(g, n - 1)] for g in range(len(order))]
        assert tt["head"].unitsPerEm == face.units_per_em()
        hhea = tt["hhea"]
        want = [hhea.ascent - hhea.descent + hhea.lineGap]
        if "OS/2" in tt:
            os2 = tt["OS/2"]
            want += [os2.usWinAscent + os2.usWinDescent, os2.sTypoAscender - os2.sTypoDescender + os2.sTypoLineGap]
        assert heights == want
        assert name == (tt["name"].getDebugName(16) or tt["name"].getDebugName(1))


def test_what_it_cannot_read_is_left_to_fonttools(tmp_path):
    woff = tmp_path / "x.woff"
    woff.write_bytes(b"wOFF" + bytes(40))
    with pytest.raises(sfnt.Unsupported):
        sfnt.Face(woff)


def test_the_bundled_faces_measure_as_before():
    regular = ROOT / "assets" / "fonts" / "Carlito-Regular.ttf"
    m = metrics.FontMetrics(regular)
    with TTFont(str(regular), lazy=True) as tt:
        upem, hmtx = tt["head"].unitsPerEm, tt["hmtx"].metrics
        want = sum(hmtx[tt.getBestCmap()[ord(c)]][0] for c in "Defence spending, 2024") / upem * 12
    assert m.width("Defence spending, 2024", 12) == pytest.approx(want, abs=1e-9)
    assert metrics.line_em(regular) == 1.22
