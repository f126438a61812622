"""`deckgen pull`: edits made to a built deck (text, points, titles, notes, key figures, chart data) back into its outline."""
from __future__ import annotations

import contextlib
import difflib
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from .errors import DeckgenError, OutlineError

SIMILAR = 0.35  # an edited paragraph this similar to a removed one is taken as its new wording


def same(a: str, b: str) -> bool:
    """Two texts as markup are the same (a LibreOffice save writes a link's %xx escapes as the characters they stand for)."""
    return a == b or unquote(a) == unquote(b)


@dataclass
class PullResult:
    """What a pull found: the changes made (one line each), the edits it could not map, the diff, the file written."""

    changes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    diff: str = ""
    written: Path | None = None


@dataclass
class _Unit:
    """A point as a slide shows it: its text and sub-points as markup (and, from the build, where it is in the outline)."""

    text: str
    subs: list[str]
    index: int = -1  # the point's index in its section of the outline file (-1: a new point)


def pull(deck: str | Path, outline: str | Path, dry_run: bool = False) -> PullResult:
    """Map the edits of `deck` (a .pptx deckgen built from `outline`, then edited in PowerPoint or LibreOffice) back
    into the outline file, keeping its comments, order and formatting; with `dry_run` nothing is written (see the
    result's diff). Raises DeckgenError for a deck of another outline, language or no deckgen deck at all, and
    OutlineError when the outline is invalid (before or after the edits)."""
    from .build import load
    from .deckmap import digest, from_properties
    from .writers.pptx.readback import read_deck

    deck, outline = Path(deck), Path(outline)
    try:
        deck_bytes, raw = deck.read_bytes(), outline.read_bytes()
    except OSError as exc:
        raise DeckgenError(f"{exc.filename}: cannot be read ({exc.strerror})") from None
    doc = load(outline)
    read = read_deck(deck_bytes, deck.name)
    origin = from_properties(read.properties)
    if origin is None:
        raise DeckgenError(f"{deck.name}: carries no deckgen map (custom document properties 'deckgen.map.*') — pull "
                           f"needs a deck built by this deckgen from the outline; rebuild it with `deckgen build {outline.name}`")
    result = PullResult()
    same_hash = origin.get("sha256") == digest(raw)
    if origin.get("outline") != outline.name and not same_hash:
        raise DeckgenError(f"{deck.name}: was built from '{origin.get('outline')}', not from '{outline.name}' — "
                           f"pull it into '{origin.get('outline')}'")
    if not same_hash:
        result.warnings.append(f"{outline.name}: changed since {deck.name} was built — edits are mapped by id and "
                               f"position; review the diff (--dry-run) before keeping it")
    text = raw.decode("utf-8")
    bom = text.startswith("\ufeff")
    mapper = _Mapper(doc, origin, read, deck.name, text[1:] if bom else text, result, same_hash)
    mapper.run()
    new = mapper.yaml.text()
    source = text[1:] if bom else text
    result.diff = "".join(difflib.unified_diff(source.splitlines(keepends=True), new.splitlines(keepends=True),
                                               f"a/{outline.name}", f"b/{outline.name}"))
    if new != source:
        _replace(outline, ("\ufeff" if bom else "") + new, dry_run)
        result.written = None if dry_run else outline
    return result


def _replace(path: Path, text: str, dry_run: bool = False) -> None:
    """Write the pulled outline beside the old one, check it loads, then put it in place (never a broken outline);
    with `dry_run` only check it."""
    from .build import load

    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix, dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.chmod(tmp, path.stat().st_mode & 0o7777)
        try:
            load(tmp)
        except OutlineError as exc:
            problems = str(exc).replace(tmp, str(path))
            raise DeckgenError(f"{path.name}: the pulled outline would not be valid, so it was not written — make these "
                               f"edits by hand:\n{problems}") from None
        if not dry_run:
            os.replace(tmp, path)
            tmp = ""
    finally:
        if tmp and os.path.exists(tmp):
            os.unlink(tmp)


def align(old: list[str], new: list[str]) -> list[tuple[int | None, int | None]]:
    """Pair old and new paragraphs in order: equal ones, then within each changed stretch the most alike (a new
    wording of the same point); the rest are removed (old, None) or added (None, new)."""
    out: list[tuple[int | None, int | None]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            out += [(i1 + k, j1 + k) for k in range(i2 - i1)]
            continue
        out += _pair(old, new, list(range(i1, i2)), list(range(j1, j2)))
    return out


def _pair(old: list[str], new: list[str], a: list[int], b: list[int]) -> list[tuple[int | None, int | None]]:
    """The order-keeping pairing of old items `a` with new items `b` of most total likeness (a dynamic programme;
    two stretches of the same length pair one to one, as a rewording of each)."""
    same = len(a) == len(b)
    best: dict[tuple[int, int], tuple[float, list]] = {}
    for x in range(len(a), -1, -1):
        for y in range(len(b), -1, -1):
            if x == len(a) or y == len(b):
                best[x, y] = (0.0, [(i, None) for i in a[x:]] + [(None, j) for j in b[y:]])
                continue
            drop, add = best[x + 1, y], best[x, y + 1]
            options = [(drop[0], [(a[x], None)] + drop[1]), (add[0], [(None, b[y])] + add[1])]
            score = difflib.SequenceMatcher(None, old[a[x]], new[b[y]], autojunk=False).ratio()
            if score >= SIMILAR or same:
                rest = best[x + 1, y + 1]
                options.append((rest[0] + score + (1.0 if same else 0.0), [(a[x], b[y])] + rest[1]))
            best[x, y] = max(options, key=lambda o: o[0])
    return best[0, 0][1]


class _Mapper:
    """One pull: the outline (as written and as the deck's audience got it), the deck's map and text, the edits."""

    def __init__(self, doc, origin: dict, read, deck_name: str, text: str, result: PullResult, same: bool = True) -> None:
        from .yamledit import YamlText

        self.doc, self.origin, self.read, self.deck = doc, origin, read, deck_name
        self.result = result
        self.full = doc.outline
        self.yaml = YamlText(text)
        audience = origin.get("audience") or None
        language = origin.get("language") or self.full.meta.language
        if audience is not None and audience not in self.full.audiences:
            raise DeckgenError(f"{deck_name}: was built for audience '{audience}', which the outline no longer defines — "
                               f"pull a deck built without --audience")
        if language != self.full.meta.language:
            who = f"audience '{audience}'" if audience else "another outline language"
            raise DeckgenError(f"{deck_name}: was built for {who} in '{language}', but the outline is written in "
                               f"'{self.full.meta.language}' — pull maps edits into the outline's own language only; "
                               f"edit translations.{language.split('-')[0]} by hand, or pull a deck built without --audience")
        if audience is not None:
            from .audience import tailor

            self.shown = tailor(self.full, audience)
            self.summary = self.full.audiences[audience].depth == "summary"
        else:
            self.shown, self.summary = self.full, False
        self.audience = audience
        self.same = same  # the outline is the one the deck was built from (else its current points are compared)
        self.gone: set[str] = set()  # refs of the points on slides deleted from the deck
        self.found: list[tuple[int, int, str]] = []  # (line, column, change) in the outline as it was
        self.pending: dict[tuple[int, int], dict] = {}  # point changes, applied together by flush()
        self.deleted: set[tuple[int, int]] = set()

    # ------------------------------------------------------------ reporting

    def change(self, loc: tuple, what: str) -> None:
        line, col = self.doc.locate(loc)
        self.found.append((line, col, f"{Path(self.doc.file).name}:{line}:{col}: {what}"))

    def warn(self, where: str, message: str) -> None:
        self.result.warnings.append(f"{self.deck}: {where}: {message}")

    # ------------------------------------------------------------ the whole deck

    def run(self) -> None:
        built = self.origin.get("slides", {})
        seen: dict[int, int] = {}
        present: dict[int, object] = {}
        for st in self.read.slides:
            label = f"slide {st.position}" + (f" ('{st.title[:50]}')" if st.title else "")
            if st.marker is None or str(st.marker) not in built:
                self.warn(label, "added by hand: it is not in the outline — copy what it says into the outline yourself")
                continue
            if st.marker in seen:
                self.warn(label, f"a copy of slide {seen[st.marker]}: only the first is pulled — move its edits there")
                continue
            seen[st.marker] = st.position
            present[st.marker] = st
            for name, txt in st.free_text:
                short = " ".join(txt.split())
                self.warn(label, f"text box '{name}' is not from the outline, it is not pulled: «{short[:120]}»")
        for number, entry in sorted(built.items(), key=lambda kv: int(kv[0])):
            if int(number) not in present:
                self.gone.update(entry.get("b", ()))
            if int(number) not in present and entry.get("k") not in ("agenda", "sources"):
                what = f"section '{entry['s']}'" if "s" in entry else entry.get("k", "slide")
                self.warn(f"slide {number} of the build ({what})", "deleted from the deck — nothing of it is removed from "
                          "the outline; delete it there if that was meant")
        slides = [(int(n), built[str(n)], present[n]) for n in sorted(present)]
        self.unmapped(slides)
        self.titles(slides)
        for sid in dict.fromkeys(e["s"] for _, e, _ in slides if "s" in e and "b" in e):
            with self.guard(f"section '{sid}'"):
                self.section_points(sid, [(e, st) for _, e, st in slides if e.get("s") == sid and "b" in e])
        for _, e, st in slides:
            with self.guard(f"slide {st.position}"):
                if "n" in e:
                    self.notes(e, st)
                if "f" in e:
                    self.figures(e, st)
                if "ch" in e and st.chart is not None:
                    self.chart(e["ch"], st)
        with self.guard("points"):
            self.flush()
        self.result.changes = [text for _, _, text in sorted(self.found)]

    @contextlib.contextmanager
    def guard(self, where: str):
        """An edit the outline's YAML cannot take where it stands (e.g. points written as a [..] list) is a warning."""
        from .yamledit import YamlEditError

        try:
            yield
        except YamlEditError as exc:
            self.warn(where, f"not pulled: the outline writes this as a flow list or otherwise unlike deckgen's format "
                      f"({exc}) — write it one item per line, or carry the edit by hand")

    MAPPED = ("title", "bullets", "bullets_chart", "conclusions", "recommendations", "key_figures", "chart")

    def unmapped(self, slides: list) -> None:
        """Edits on slides of kinds pull does not map (agenda, tables, boxes, quotes, sources…): named, not dropped."""
        from .writers.pptx.readback import fingerprints

        for _, e, st in slides:
            if "t" not in e:
                continue
            text, notes, rest = fingerprints(st, e.get("k", ""))
            label = f"slide {st.position}" + (f" ('{st.title[:50]}')" if st.title else "")
            if text != e["t"] and e.get("k") not in self.MAPPED:
                self.warn(label, f"edited, but pull does not map a slide of kind '{e.get('k')}' — carry the edit into "
                          "the outline by hand")
            elif rest != e.get("u", rest):
                self.warn(label, "text pull does not map was edited (a source line, a chart slide's title, the cover's "
                          "subtitle lines) — carry the edit into the outline by hand")
            if notes != e.get("tn") and "n" not in e and e.get("k") != "agenda":
                self.warn(label, "speaker notes edited, but they are made from the outline (alt text, sources, lead) and "
                          "not pulled — carry the edit into the outline by hand")

    # ------------------------------------------------------------ where things are

    def section_index(self, sid: str) -> int | None:
        return next((i for i, s in enumerate(self.full.sections) if s.id == sid), None)

    def shown_section(self, sid: str):
        return next((s for s in self.shown.sections if s.id == sid), None)

    def point_of(self, ref: str) -> tuple[int, int, object] | None:
        """(section index, point index in the file, the point as the deck showed it) of a ref 'section/id' or 'section/#i'."""
        sid, _, key = ref.partition("/")
        si, shown = self.section_index(sid), self.shown_section(sid)
        if si is None or shown is None:
            return None
        points = self.full.sections[si].points
        if key.startswith("#"):
            k = int(key[1:]) if key[1:].isdigit() else -1
            if not 0 <= k < len(shown.points):
                return None
            p = shown.points[k]
            if shown is self.full.sections[si]:
                return si, k, p
            pi = next((j for j, q in enumerate(points) if q.id is None and q.text == p.text), None)
            return (si, pi, p) if pi is not None else None
        pi = next((j for j, q in enumerate(points) if q.id == key), None)
        p = next((q for q in shown.points if q.id == key), None)
        return (si, pi, p) if pi is not None and p is not None else None

    # ------------------------------------------------------------ titles

    def titles(self, slides: list) -> None:
        from .inline import to_markup
        from .layout.text import runs
        from .words import words_for

        from .layout.slides import without_cont

        words = words_for(self.shown)
        done: set[str] = set()
        for number, e, st in slides:
            title = st.title
            if e.get("k") == "title":
                old = to_markup(runs(self.shown.meta.title))
                if title and not same(title, old):
                    self.set_text(("meta", "title"), title, old == to_markup(runs(self.full.meta.title)))
                continue
            sid = e.get("s")
            if sid is None or e.get("k") in ("chart", "table", "picture", "box", "comparison", "quote"):
                continue
            si, shown = self.section_index(sid), self.shown_section(sid)
            if si is None or shown is None:
                continue
            old = to_markup(runs(shown.title))
            if e.get("c"):
                title = without_cont(title, words)
            if same(title, old) or not title:
                continue
            if sid in done or e.get("c"):
                self.warn(f"slide {st.position}", f"title changed on a continuation of section '{sid}' — change the "
                          f"section's first slide, or the outline (sections[{sid}].title)")
                continue
            done.add(sid)
            self.set_text(("sections", si, "title"), title, shown.title == self.full.sections[si].title)

    def set_text(self, loc: tuple, value: str, own: bool = True) -> None:
        """Write `value` at `loc`, unless the deck showed an audience's override there (then say so)."""
        if not own:
            self.warn(".".join(map(str, loc)), f"the deck showed audience '{self.audience}''s override here — change "
                      f"audiences.{self.audience}.overrides by hand: «{value}»")
            return
        self.yaml.replace(loc, value)
        self.change(loc, f"{_path(loc)}: «{value}»")

    # ------------------------------------------------------------ points

    def section_points(self, sid: str, slides: list) -> None:
        from .inline import Note, to_markup
        from .layout.text import runs

        si = self.section_index(sid)
        if si is None:
            self.warn(f"section '{sid}'", "no longer in the outline — its slides are not pulled")
            return
        old: list[_Unit] = []
        shown_points: list = []
        refs = [ref for e, _ in slides for ref in e["b"]]
        if not self.same:  # the outline changed since the build (pulled before?): compare with the points it has now,
            from .layout.slides import point_ref

            # those these slides showed and those added since

            shown = self.shown_section(sid)
            had = set(self.origin.get("points", {}).get(sid, ()))
            on = set(refs)
            refs = [r for i, q in enumerate(shown.points if shown else ()) if (r := point_ref(sid, i, q)) in on or r not in had]
        for ref in refs:
            if len(ref.split("/")) != 2:
                continue
            found = self.point_of(ref)
            if found is None:
                self.warn(f"point '{ref}'", "no longer in the outline — its paragraph is not pulled")
                continue
            _, pi, p = found
            old.append(_Unit(to_markup(runs(p.text)), [to_markup(runs(q.text)) for q in p.points], pi))
            shown_points.append(p)
        new: list[_Unit] = []
        for e, st in slides:
            if not st.body and any(len(r.split("/")) == 2 for r in e["b"]):
                self.warn(f"slide {st.position} ('{st.title[:50]}')", "its text box was emptied or removed: its points are "
                          "not deleted from the outline — delete them there if that was meant")
                return
            for level, text in st.body:
                if level == 0 or not new:
                    new.append(_Unit(text, []))
                else:
                    new[-1].subs.append(text)
        def key(u: _Unit) -> list[str]:
            return [unquote(x) for x in (u.text, *u.subs)]

        if [key(u) for u in old] == [key(u) for u in new]:
            return
        base = ("sections", si, "points")
        pairs = align([unquote(u.text) for u in old], [unquote(u.text) for u in new])
        full_points = self.full.sections[si].points
        next_index = [None] * len(pairs)  # for an added point: the file index of the next old point (insert before it)
        following = (max((u.index for u in old), default=-1) + 1) if old else len(full_points)
        for k in range(len(pairs) - 1, -1, -1):
            i, _ = pairs[k]
            if i is not None:
                following = old[i].index
            next_index[k] = following
        for k, (i, j) in enumerate(pairs):
            if i is not None and j is None:
                self.yaml.delete_item(base, old[i].index)
                self.deleted.add((si, old[i].index))
                self.orphans(full_points[old[i].index].id)
                self.change(base + (old[i].index,), f"{_path(base)}[{old[i].index}]: removed «{old[i].text}»")
            elif i is None and j is not None:
                u = new[j]
                item: str | dict = u.text if not u.subs else {"text": u.text, "points": u.subs}
                self.yaml.insert_item(base, next_index[k], item)
                self.change(base + (min(next_index[k], max(len(full_points) - 1, 0)),), f"{_path(base)}: added «{u.text}»")
            elif i is not None and j is not None:
                o, u, p = old[i], new[j], shown_points[i]
                update: dict = {}
                if not same(u.text, o.text):
                    if any(isinstance(r, Note) for r in runs(full_points[o.index].text)):
                        self.warn(f"{_path(base)}[{o.index}]", f"has a footnote the slide cannot carry — edit its text in "
                                  f"the outline by hand: «{u.text}»")
                    elif p.text != full_points[o.index].text:
                        self.set_text(base + (o.index, "text"), u.text, False)
                    else:
                        update["text"] = u.text
                if [unquote(x) for x in u.subs] != [unquote(x) for x in o.subs]:
                    if self.summary:
                        self.warn(f"{_path(base)}[{o.index}]", f"sub-points changed in a summary deck of audience "
                                  f"'{self.audience}' (which leaves them out) — not pulled")
                    else:
                        update["points"] = u.subs
                if update:
                    self.update_point(si, o.index, update)

    def orphans(self, pid: str | None) -> None:
        """A removed point's translations and audience overrides go with it (left behind they would be errors)."""
        if pid is None:
            return
        places = [("translations", lang, "points") for lang in self.full.translations]
        places += [("audiences", name, "overrides", "points") for name in self.full.audiences]
        for place in places:
            if self.yaml.kind(place + (pid,)) is not None:
                self.yaml.delete_key(place, pid)
                self.change(place + (pid,), f"{_path(place + (pid,))}: removed with its point")

    def update_point(self, si: int, pi: int, update: dict) -> None:
        """Collect changes to one point (applied together by `flush`, which knows whether it is a text or a mapping)."""
        self.pending.setdefault((si, pi), {}).update(update)

    def flush(self) -> None:
        from .inline import to_markup
        from .layout.text import runs

        for (si, pi), update in sorted(self.pending.items()):
            if (si, pi) in self.deleted:
                continue
            base = ("sections", si, "points")
            path = base + (pi,)
            point = self.full.sections[si].points[pi]
            kind = self.yaml.kind(path)
            for key, value in update.items():
                self.change(path + (key,), f"{_path(path + (key,))}: «{value if isinstance(value, str) else '; '.join(value)}»")
            if kind == "text":
                if set(update) == {"text"}:
                    self.yaml.replace(path, update["text"])
                    continue
                item: dict = {"text": update.get("text", point.text)}
                if update.get("points"):
                    item["points"] = update["points"]
                if "notes" in update:
                    item["notes"] = update["notes"]
                self.yaml.replace_item(base, pi, item)
                continue
            if "text" in update:
                self.yaml.replace(path + ("text",), update["text"])
            if "points" in update:
                subs = update["points"]
                if not subs:
                    self.yaml.delete_key(path, "points")
                elif self.yaml.kind(path + ("points",)) == "list" and self.yaml.length(path + ("points",)) == len(subs):
                    for k, (q, new) in enumerate(zip(point.points, subs)):
                        if not same(to_markup(runs(q.text)), new):
                            at = path + ("points", k)
                            self.yaml.replace(at if self.yaml.kind(at) == "text" else at + ("text",), new)
                else:
                    self.yaml.set_key(path, "points", subs)
            if "notes" in update:
                self.yaml.set_key(path, "notes", update["notes"])

    # ------------------------------------------------------------ notes, key figures, charts

    def said(self, text: str) -> str:
        from .layout.notes import spoken

        return spoken(text, self.shown.footnotes)

    def sources_line(self, point) -> str:
        from .inline import plain
        from .words import words_for

        refs = []
        for ref in point.sources:
            src = next((x for x in self.shown.sources if x.id == ref), None)
            if src is not None:
                refs.append(plain(src.title) + (f" ({src.url})" if src.url else ""))
        return f"{words_for(self.shown)['sources']}: " + "; ".join(refs) if refs else ""

    def notes(self, e: dict, st) -> None:
        """Speaker notes: each block the build made of a point's `notes` (or `detail`) or a section's `notes`."""
        from .inline import Note
        from .layout.text import one_line, runs

        refs = e["n"]
        blocks = [b.strip() for b in st.notes.replace("\r", "").split("\n\n")]
        where = f"slide {st.position} speaker notes"
        if len(blocks) < len(refs):
            self.warn(where, "blocks were removed or joined, so they cannot be matched to points — copy the edits into "
                      "the outline's `notes` by hand")
            return
        for ref, block in zip(refs, blocks):
            if not ref:
                continue
            if "/" not in ref:  # a section's notes
                si, shown = self.section_index(ref), self.shown_section(ref)
                if si is None or shown is None or not shown.notes:
                    continue
                if block != self.said(shown.notes).strip():
                    if any(isinstance(r, Note) for r in runs(shown.notes)):
                        self.warn(where, f"section '{ref}' notes have a footnote — edit them in the outline: «{block}»")
                    else:
                        self.yaml.set_key(("sections", si), "notes", " ".join(block.split()))
                        self.change(("sections", si, "notes"), f"sections[{si}].notes: «{' '.join(block.split())}»")
                continue
            found = self.point_of(ref)
            if found is None:
                continue
            si, pi, p = found
            said = one_line(self.said(p.notes or p.detail or ""))
            sources = one_line(self.sources_line(p))
            lines = block.split("\n")
            if sources and lines and lines[-1].strip() == sources:
                lines = lines[:-1]
            elif sources:
                self.warn(where, f"the sources line of point '{ref}' changed — sources are edited in the outline's "
                          f"`sources:` (not pulled)")
                lines = [x for x in lines if x.strip() != sources and not x.startswith(sources.split(":")[0] + ":")]
            new = " ".join(" ".join(lines).split())
            if new == said:
                continue
            if any(isinstance(r, Note) for r in runs(p.notes or p.detail or "")):
                self.warn(where, f"point '{ref}' notes have a footnote — edit them in the outline: «{new}»")
            elif p.notes != self.full.sections[si].points[pi].notes:
                self.warn(where, f"point '{ref}' notes are audience '{self.audience}''s override — edit it by hand: «{new}»")
            else:
                self.update_point(si, pi, {"notes": new})

    def figures(self, e: dict, st) -> None:
        from .inline import plain, to_markup
        from .layout.text import one_line, runs

        ids = e["f"]
        if len(ids) != len(st.figures):
            self.warn(f"slide {st.position}", f"{len(st.figures)} key-figure panels where the build made {len(ids)} — "
                      "key figures are added and removed in the outline (key_figures:)")
            return
        for kid, (value, label) in zip(ids, st.figures):
            ki = next((i for i, k in enumerate(self.full.key_figures) if k.id == kid), None)
            shown = next((k for k in self.shown.key_figures if k.id == kid), None)
            if ki is None or shown is None:
                continue
            full = self.full.key_figures[ki]
            if value and value != one_line(plain(shown.value)):
                self.set_text(("key_figures", ki, "value"), value, shown.value == full.value)
            if label and not same(label, to_markup(runs(shown.label))):
                self.set_text(("key_figures", ki, "label"), label, shown.label == full.label)

    def chart(self, cid: str, st) -> None:
        """Chart data edited in the deck (Edit Data): values and category names, back into `charts[...]`."""
        from .layout.deckchart import chart_plan
        from .layout.text import one_line
        from .theme import load_theme
        from .words import words_for
        from .yamledit import number

        ci = next((i for i, c in enumerate(self.full.charts) if c.id == cid), None)
        chart = next((c for c in self.shown.charts if c.id == cid), None)
        if ci is None or chart is None or chart.kind == "scatter":
            return
        plan = chart_plan(chart, ci, load_theme(self.full.theme.name), [], "", words_for(self.shown))
        data = st.chart
        where = f"slide {st.position} chart '{cid}'"
        if len(data.categories) != len(plan.categories):
            self.warn(where, f"{len(data.categories)} categories where the build had {len(plan.categories)} — add or "
                      "remove categories in the outline (charts[].categories and every series' values)")
            return
        names = [n for n, _ in data.series]
        extra = {plan.plan_label, plan.total_label}
        spare = [k for k, n in enumerate(names) if n not in extra]
        order: list[int] = []
        cats = [one_line(c) for c in chart.categories]
        for c in plan.categories:
            order.append(next(i for i, x in enumerate(cats) if x == c and i not in order))
        values: dict[int, list[float | None]] = {}
        outline_series = -1
        for k, ps in enumerate(plan.series):
            if ps.role == "target":
                continue
            if ps.role == "data":
                outline_series += 1
            pos = names.index(ps.name) if ps.name in names else (spare[k] if k < len(spare) else None)
            if pos is None:
                self.warn(where, f"series '{ps.name}' is missing — series are added and removed in the outline")
                return
            got = data.series[pos][1]
            row = values.setdefault(outline_series, [None] * len(plan.categories))
            for j, v in enumerate(got[: len(row)]):
                if v is not None and (row[j] is None or ps.role == "data"):
                    row[j] = v
        edits: list[tuple[tuple, str, str]] = []
        for s_idx, row in values.items():
            written = chart.series[s_idx].values
            for j, v in enumerate(row):
                i = order[j]
                if v is None or i >= len(written) or abs(v - written[i]) <= 1e-9 * max(1.0, abs(v)):
                    continue
                text = number(v, self.yaml.value(("charts", ci, "series", s_idx, "values", i)))
                edits.append((("charts", ci, "series", s_idx, "values", i), text, f"{written[i]:g} → {text}"))
        for j, name in enumerate(data.categories):
            if name != plan.categories[j]:
                i = order[j]
                edits.append((("charts", ci, "categories", i), name, f"'{plan.categories[j]}' → '{name}'"))
        if not edits:
            return
        if chart.data is not None or chart.from_ is not None:
            source = chart.data.file if chart.data is not None else f"table '{chart.from_}'"
            self.warn(where, f"its data comes from {source}: edit it there — " + "; ".join(f"{_path(p)}: {w}" for p, _, w in edits))
            return
        if chart != self.full.charts[ci] and any(p[2] == "categories" for p, _, _ in edits):
            self.warn(where, "category names are translated for this audience — renames not pulled")
            edits = [x for x in edits if x[0][2] != "categories"]
        for path, text, what in edits:
            self.yaml.replace(path, text)
            self.change(path, f"{_path(path)}: {what}")


def _path(loc: tuple) -> str:
    out = ""
    for step in loc:
        out += f"[{step}]" if isinstance(step, int) else (("." if out else "") + str(step))
    return out
