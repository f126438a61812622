"""Hyphenation dictionaries parsed once per machine (writers/pdf/hyphens.py): the copy hyphenates as pyphen's parse."""
from __future__ import annotations

import os
import subprocess
import sys

import pyphen
import pytest

from conftest import MINI
from deckgen.writers.pdf.hyphens import dictionary

WORDS = ["cooperation", "internationalisation", "interoperability", "współpraca", "bezpieczeństwa", "gospodarczej"]


@pytest.mark.parametrize("lang", ["en_US", "pl_PL"])
def test_the_copy_read_back_is_the_dictionary_pyphen_parses(tmp_path, monkeypatch, lang):
    monkeypatch.setattr(pyphen, "hdcache", {})
    first = dictionary(lang, tmp_path)  # parsed, and copied
    assert len(list((tmp_path / "hyphenation").glob("*.json"))) == 1
    monkeypatch.setattr(pyphen, "hdcache", {})
    again = dictionary(lang, tmp_path)  # read from the copy
    parsed = pyphen.HyphDict(next(iter(pyphen.hdcache)))
    assert again.hd is not parsed and (again.hd.patterns, again.hd.maxlen) == (parsed.patterns, parsed.maxlen)
    assert [again.inserted(w) for w in WORDS] == [first.inserted(w) for w in WORDS]
    assert again.inserted("cooperation" if lang == "en_US" else "współpraca") != ("cooperation" if lang == "en_US" else "współpraca")


def test_a_damaged_or_stale_copy_is_parsed_again_and_rewritten(tmp_path, monkeypatch):
    monkeypatch.setattr(pyphen, "hdcache", {})
    expected = dictionary("en_US", tmp_path).inserted("internationalisation")
    (entry,) = (tmp_path / "hyphenation").glob("*.json")
    for damage in ('{"key": "another file", "maxlen": 3, "patterns": {}}', '{"key": 1', '{"patterns": {"ab": ["x", [1]]}}'):
        entry.write_text(damage, encoding="utf-8")
        monkeypatch.setattr(pyphen, "hdcache", {})
        assert dictionary("en_US", tmp_path).inserted("internationalisation") == expected
        assert entry.read_text(encoding="utf-8") != damage  # rewritten from the fresh parse


def test_a_read_only_cache_folder_only_costs_the_parse(tmp_path, monkeypatch):
    monkeypatch.setattr(pyphen, "hdcache", {})
    (tmp_path / "hyphenation").write_text("a file where the folder would be")
    assert dictionary("en_US", tmp_path).inserted("cooperation") == pyphen.Pyphen(lang="en_US", cache=False).inserted("cooperation")


@pytest.mark.slow
def test_a_brief_is_the_same_bytes_with_the_copy_as_with_the_parse(tmp_path):
    env = {**os.environ, "DECKGEN_CACHE_DIR": str(tmp_path / "cache")}
    made = []
    for run in ("parsed", "copied"):
        out = tmp_path / run
        subprocess.run([sys.executable, "-m", "deckgen", "build", str(MINI), "--only", "pdf", "-o", str(out), "-q"], env=env,
                       check=True, capture_output=True)
        made.append((out / "mini.pdf").read_bytes())
    assert list((tmp_path / "cache" / "hyphenation").glob("*.json"))  # the second build read the copy
    assert made[0] == made[1]
