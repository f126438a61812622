"""pyphen's hyphenation dictionaries, parsed once per machine: a JSON copy of the patterns in deckgen's cache folder.

Parsing `hyph_en_US.dic` takes ~0.1 s of every brief in English (`hyph_pl_PL.dic` ~0.05 s); reading the patterns back
from JSON ~0.02 s. The copy is keyed by the dictionary file (path, size, modification time) and pyphen's version, and
is only ever data (JSON, never pickle): a copy that is missing, stale or damaged is parsed again, and rewritten.
Hyphenation is the same either way: the restored dictionary holds the patterns pyphen parsed (tests/test_hyphens.py).
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pyphen

from ...chartcache import default_cache_dir, read_entry, write_entry

_FIELDS = {"patterns", "cache", "maxlen"}  # what pyphen's HyphDict holds (0.9–0.18): anything else is not copied


def dictionary(lang: str, cache_dir: Path | None = None) -> pyphen.Pyphen:
    """pyphen's hyphenator for `lang` (a pyphen language name, e.g. 'en_US'), its patterns read from the cache folder
    (`cache_dir`, default: deckgen's) when a build parsed them before."""
    path = Path(pyphen.LANGUAGES[pyphen.language_fallback(lang)])
    if path not in pyphen.hdcache:
        folder = (cache_dir or default_cache_dir()) / "hyphenation"
        key = _key(path)
        entry = folder / f"{hashlib.sha256(key.encode()).hexdigest()[:24]}.json" if key else None
        restored = _read(entry, key) if entry else None
        if restored is not None:
            pyphen.hdcache[path] = restored
        else:
            parsed = pyphen.HyphDict(path)
            pyphen.hdcache[path] = parsed
            if entry is not None:
                _write(entry, key, parsed)
    return pyphen.Pyphen(lang=lang)


def _key(path: Path) -> str | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return json.dumps([str(path), st.st_size, st.st_mtime_ns, getattr(pyphen, "__version__", "?")])


def _read(entry: Path, key: str) -> pyphen.HyphDict | None:
    payload = read_entry(entry)  # None: missing, or not the bytes written (chartcache's checked entries)
    if payload is None:
        return None
    try:
        data = json.loads(payload)
        if data["key"] != key:
            return None
        patterns = {str(k): (int(v[0]), tuple(int(x) for x in v[1])) for k, v in data["patterns"].items()}
        maxlen = int(data["maxlen"])
    except (ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None
    hd = pyphen.HyphDict.__new__(pyphen.HyphDict)
    hd.patterns, hd.cache, hd.maxlen = patterns, {}, maxlen
    return hd


def _write(entry: Path, key: str, hd: Any) -> None:
    """Keep a copy of a parsed dictionary when it is plain data (numbers only: no alternative spellings); a cache
    folder that cannot be written only means the next brief parses it again."""
    if set(vars(hd)) != _FIELDS or not all(
        isinstance(start, int) and all(type(x) is int for x in values) for start, values in hd.patterns.values()
    ):
        return
    write_entry(entry, json.dumps({"key": key, "maxlen": hd.maxlen, "patterns": hd.patterns}, ensure_ascii=False).encode())
