"""One build: load the outline, tailor it per audience, plan, write each product, then commit every output at once."""
from __future__ import annotations

import dataclasses
import difflib
import hashlib
import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import AssetError, DeckgenError, OutlineError, Problem, RenderError
from .units import day_epoch

if TYPE_CHECKING:  # the loader pulls in yaml and pydantic: imported when first needed, so `deckgen --help` stays fast
    from .chartcache import ChartStore
    from .outline import Document
    from .theme import Theme
    from .typeset import Typesetting

FORMATS = ("pptx", "pdf")


@dataclass
class BuildResult:
    """What a build wrote and what it warned about."""

    paths: list[Path] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    products: list[dict] = field(default_factory=list)  # per output: audience, format, file name, slides or pages
    data: dict[Path, bytes] = field(default_factory=dict, repr=False)  # every output's bytes, by path (also with write=False)


def load(path: str | Path | None = None) -> Document:
    """Read and validate an outline (the bundled default when path is None); raises OutlineError."""
    from .outline import load_outline

    if path is None:
        from .theme import default_outline

        path = default_outline()
    return load_outline(path)


def epoch_for(doc: Document) -> int:
    """The timestamp written into outputs: SOURCE_DATE_EPOCH if set, else midnight UTC of the outline's date."""
    env = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if env.isdigit():
        return int(env)
    assert doc.outline is not None
    return day_epoch(doc.outline.meta.date)


def audience_names(doc: Document) -> list[str]:
    """The audiences an outline defines, in the order it defines them."""
    assert doc.outline is not None
    return list(doc.outline.audiences)


def resolve_audiences(doc: Document, names: Sequence[str] = (), all_audiences: bool = False) -> list[str | None]:
    """The builds asked for: [None] for the whole outline, else audience names; unknown names raise DeckgenError."""
    known = audience_names(doc)
    if all_audiences:
        if not known:
            raise DeckgenError(f"{doc.file}: the outline defines no audiences — add an `audiences:` section or drop --all-audiences")
        return list(known)
    unknown = [n for n in names if n not in known]
    if unknown:
        lines = []
        for n in unknown:
            near = difflib.get_close_matches(n, known, n=1)
            hint = f"did you mean '{near[0]}'? " if near else ""
            lines.append(f"unknown audience '{n}' — {hint}known: {', '.join(known) or '(none defined)'}")
        raise DeckgenError("\n".join(lines))
    return list(dict.fromkeys(names)) or [None]


def build(
    outline: str | Path | Document | None = None,
    out_dir: str | Path = "build",
    formats: Sequence[str] = FORMATS,
    audiences: Sequence[str] = (),
    all_audiences: bool = False,
    progress: Callable[[str], None] | None = None,
    strict: bool = False,
    write: bool = True,
    cache: bool = True,
    chart_store: ChartStore | None = None,
    audit: bool = False,
    deck_reuse: dict | None = None,
    split: bool = False,
) -> BuildResult:
    """Build the deck and/or brief of an outline (a path, a loaded Document, or None for the default; whole, or
    once per audience) into out_dir.

    Nothing is written unless every output succeeds. A build of two or more audiences also writes
    `<stem>.manifest.json` (per audience: outputs with SHA-256, slide and page counts, the ids it received).
    `progress` is called with a short label after each output is made. With `strict`, any warning is an error
    (OutlineError, nothing written). With `write=False` everything is made in memory and nothing is written.
    `cache=False` renders every chart afresh without reading or filling the user's chart cache. `chart_store` keeps
    rendered charts across builds (`watch`); it is used when its theme and cache setting are this build's.
    `audit` adds the deck's accessibility findings (deckgen.access) to the warnings, located at the outline element
    each slide comes from. `deck_reuse` (audience -> writers.pptx.DeckReuse, filled here) keeps each deck written, so
    that the next build of a session draws only the slides that changed (the same bytes). `split` (for a process that
    builds once, as `deckgen build`): when the brief has no chart left to render, the deck is made by a process forked
    for it while this one makes the brief (Linux, 2+ cores: parallel.run_forked) — the same bytes and warnings.
    """
    from .chartcache import ChartStore
    from .output import commit, output_path
    from .outline import Document

    doc = outline if isinstance(outline, Document) else load(outline)
    assert doc.outline is not None
    targets = resolve_audiences(doc, audiences, all_audiences)
    theme = outline_theme(doc)
    epoch = epoch_for(doc)
    stem = Path(doc.file).stem
    out = Path(out_dir)
    files: dict[Path, bytes] = {}
    result = BuildResult(warnings=list(doc.warnings))
    manifest: dict[str, dict] = {}
    fits = chart_store is not None and (chart_store.theme, chart_store.enabled) == (theme, cache)
    store = chart_store if fits and chart_store is not None else ChartStore(theme, enabled=cache)
    contexts: dict[tuple[str, str], Typesetting] = {}  # one typesetting context per product and language of the build
    try:
        for name in targets:
            try:
                product = _build_one(doc, name, theme, epoch, formats, result, store, contexts, audit, deck_reuse, split)
            except (AssetError, RenderError) as exc:  # an outline's template or chart: located there
                located = _located(doc, exc)
                if located is None:
                    raise
                raise located from None
            entry: dict = {"outputs": [], **product.pop("received")}
            for fmt, (data, counts) in product.items():
                path = output_path(out, stem, fmt, name)
                files[path] = data
                entry["outputs"].append({"file": path.name, "format": fmt, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data), **counts})
                result.products.append({"audience": name, "format": fmt, "file": path.name, **counts})
                if progress:
                    progress(path.name)
            if name is not None:
                manifest[name] = entry
    except BaseException:
        store.close(kill=True)  # an error or an interrupt (Ctrl-C, SIGTERM, SIGHUP): the workers end now
        raise
    store.close()  # the chart workers end with the build (a reused store keeps the charts it has)
    if len(manifest) >= 2:
        body = {"outline": Path(doc.file).name, "audiences": manifest}
        files[out / f"{stem}.manifest.json"] = (json.dumps(body, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    if strict and result.warnings:
        ordered = sorted(dict.fromkeys(result.warnings), key=lambda w: (w.line, w.col, w.path))
        raise OutlineError([dataclasses.replace(w, severity="error", message=w.message + " (--strict)") for w in ordered])
    result.data = files
    if write:
        result.paths = commit(files, protect=[Path(doc.file)])
    return result


def check(outline: str | Path | None = None) -> list[Problem]:
    """Every warning a build would give (the whole outline and each audience, deck and brief) and every finding of
    the deck's accessibility check, nothing written; raises OutlineError for an invalid outline. A .pptx file instead
    of an outline is checked for accessibility alone (check_deck)."""
    if outline is not None and Path(outline).suffix.lower() == ".pptx":
        return check_deck(outline)
    doc = load(outline)
    assert doc.outline is not None
    names: list[str | None] = [None, *audience_names(doc)]
    warnings: list[Problem] = []
    for i, name in enumerate(names):
        result = build(doc, formats=FORMATS, audiences=[name] if name else (), write=False, audit=True)
        warnings += result.warnings if i == 0 else result.warnings[len(doc.warnings):]
    return sorted(dict.fromkeys(warnings), key=lambda w: (w.line, w.col, w.path))


def check_deck(deck: str | Path) -> list[Problem]:
    """The accessibility findings of any .pptx deck (deckgen's or not, edited or not) as warnings located
    DECK:<slide number>:<shape's position in the slide's shape tree> (0 for the slide itself)."""
    from .access import check_deck as findings
    from .writers.pptx.audit import audit_deck

    path = Path(deck)
    return [Problem(str(path), f.slide, f.shape, f"slide[{f.slide}]" + (f".shape[{f.shape}]" if f.shape else ""), f.message,
                    "warning") for f in findings(audit_deck(path, path.name))]


def _deck_findings(doc: Document, tailored, plan, data: bytes, tag: str) -> list[Problem]:
    """The accessibility findings of a built deck, each located at the outline element its slide comes from (the
    outline's top, path deck.slide[N], for a slide of no one element: the agenda, the sources)."""
    from .access import check_deck as findings
    from .writers.pptx.audit import audit_deck

    assert doc.outline is not None
    out = []
    for f in findings(audit_deck(data, Path(doc.file).name)):
        loc = plan.slides[f.slide - 1].loc if 0 < f.slide <= len(plan.slides) else ()
        if len(loc) < 2:
            out.append(Problem(doc.file, 1, 1, f"deck.slide[{f.slide}]", f.message + tag, "warning"))
        else:
            out.append(doc.problem(origin(doc.outline, tailored, loc), f.message + tag, "warning"))
    return out


def _build_one(doc: Document, name: str | None, theme: Theme, epoch: int, formats: Sequence[str], result: BuildResult,
               store: ChartStore, contexts: dict[tuple[str, str], Typesetting], audit: bool = False,
               deck_reuse: dict | None = None, split: bool = False) -> dict:
    """One tailored product set in memory: {fmt: (bytes, counts)} plus the ids the audience received."""
    from .audience import tailor

    assert doc.outline is not None
    o = tailor(doc.outline, name) if name is not None else doc.outline
    tag = f" (audience {name})" if name is not None else ""
    if name is not None:
        result.warnings += untranslated_warnings(doc, name, o)
    product: dict = {
        "received": {
            "language": o.meta.language,
            "sections": [s.id for s in o.sections],
            "charts": [c.id for c in o.charts],
            "tables": [t.id for t in o.tables],
            "images": [i.id for i in o.images],
            "key_figures": [k.id for k in o.key_figures],
        }
    }
    if name is not None:
        product["received"].update(_classification(doc, name, o))

    lang = o.meta.language
    from .media import pictures as _pictures

    pictures = _pictures(doc.files)

    def context(fmt: str) -> Typesetting:
        """The deck is set on the outline's template; the brief on deckgen's own A4 page, whatever the template."""
        from .typeset import typesetting

        if (fmt, lang) not in contexts:
            text = outline_text(doc)
            contexts[fmt, lang] = (deck_context(doc, theme, lang, text) if fmt == "pptx"
                                   else typesetting(theme, language=lang, text=text))
        return contexts[fmt, lang]

    def deck() -> tuple[tuple[bytes, dict], list[Problem]]:
        """The deck's bytes and counts, and its warnings."""
        from .layout.deck import plan_deck
        from .writers.pptx import DeckReuse, write_deck

        ctx = context("pptx")
        plan, warnings = plan_deck(o, ctx, pictures)
        found = [doc.problem(origin(doc.outline, o, loc), msg + tag, "warning") for loc, msg in warnings]
        from .deckmap import deck_map
        try:
            source = Path(doc.file).read_bytes()  # the deck records the outline's hash, for `deckgen pull`
        except OSError:
            source = b""
        where = deck_map(plan, o, Path(doc.file).name, source, name, doc.outline.meta.language)
        reuse = deck_reuse.setdefault(name, DeckReuse()) if deck_reuse is not None else None
        made = (write_deck(plan, ctx, epoch, *deck_files(doc), origin=where, reuse=reuse), {"slides": len(plan.slides)})
        if audit:
            found += _deck_findings(doc, o, plan, made[0], tag)
        return made, found

    brief = None
    beside = None  # the deck being made by a process of its own (split)
    if "pdf" in formats:  # planned first so its charts render on other cores while the deck is made
        from .layout.brief import Figure, plan_brief

        brief = plan_brief(o, context("pdf"), pictures)
        jobs = [(b.spec(), "pdf", b.width, b.height, lang) for b in brief[0].blocks if isinstance(b, Figure)]
        if not store.prefetch(jobs) and split and "pptx" in formats and deck_reuse is None:
            from .parallel import run_forked  # no chart to render: the other core makes the deck

            beside = run_forked(deck)
    if "pptx" in formats:
        product["pptx"], found = deck() if beside is None else (None, [])
        result.warnings += found
    if brief is not None:
        from .writers.pdf import page_count, write_brief

        plan, warnings = brief
        found = [doc.problem(origin(doc.outline, o, loc), msg + tag, "warning") for loc, msg in warnings]
        try:
            data = write_brief(plan, context("pdf"), epoch, store.pdf, doc.files.get("logo"))
            if beside is not None:
                product["pptx"], deck_found = beside.result()  # its errors are raised here as they were there
                result.warnings += deck_found
        finally:
            if beside is not None:
                beside.stop()
        result.warnings += found
        product["pdf"] = (data, {"pages": page_count(data)})
    return product


def untranslated_warnings(doc: Document, name: str, tailored=None) -> list[Problem]:
    """A located warning for each text audience `name` (tailored: `tailored`) gets as written although it reads
    another language."""
    from .audience import untranslated_for

    assert doc.outline is not None
    key, missing = untranslated_for(doc.outline, name, tailored)
    out = []
    for m in missing:
        if m.owner[0] in ("points", "sources") and not m.owner[1]:  # no id to translate it by
            what = m.owner[0]
            out.append(doc.problem(m.loc, f"not translated into '{key}' (audience {name}): it has no id — give it an `id:` "
                                   f"and add its text under translations.{key}.{what}.<id>", "warning"))
        else:
            out.append(doc.problem(m.loc, f"not translated into '{key}' (audience {name}) — add translations.{key}.{m.key}", "warning"))
    return out


def _classification(doc: Document, name: str, tailored) -> dict:
    """An audience's level and what it does not get, for the manifest; marked content that would reach it although
    it is classified lower stops the build (the loader refuses such an outline already: this holds for any Document)."""
    from .classification import banner_label, leaks, product_level, withheld

    assert doc.outline is not None
    problems = leaks(doc.outline, name, tailored)
    if problems:
        raise OutlineError([doc.problem(loc, msg) for loc, msg in problems])
    lv = product_level(tailored)
    level = {"level": lv.id, "label": banner_label(tailored, lv)} if lv is not None else {"level": None, "label": tailored.meta.classification}
    return {"classification": level, "withheld": withheld(doc.outline, tailored)}


def outline_theme(doc: Document) -> Theme:
    """The theme an outline is built with: its built-in theme by name, with the outline's own fonts (theme.fonts,
    checked by the loader) as the first fallbacks."""
    from .theme import load_theme

    assert doc.outline is not None
    theme = load_theme(doc.outline.theme.name)
    return dataclasses.replace(theme, extra_fonts=tuple(doc.fonts)) if doc.fonts else theme


def outline_text(doc: Document) -> str:
    """The distinct characters of every text of the outline (fallback fonts are looked up for those no font has)."""
    assert doc.outline is not None
    out: set[str] = set()

    def walk(value) -> None:
        if isinstance(value, str):
            out.update(value)
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(doc.outline.model_dump(mode="json"))
    return "".join(sorted(out))


def deck_context(doc: Document, theme: Theme, language: str, text: str = "") -> Typesetting:
    """The typesetting context of an outline in one language: on its own template (read once, its layouts chosen,
    its look taken) when it names one. Template problems become located errors, all at once."""
    from .typeset import typesetting

    data = doc.files.get("template")
    if data is None:
        return typesetting(theme, language=language, text=text)
    from .writers.pptx import read_template

    assert doc.outline is not None
    try:
        info = read_template(data)
        return typesetting(theme, language=language, template=info, layouts=dict(doc.outline.theme.layouts), text=text)
    except AssetError as exc:
        raise OutlineError([doc.problem(("theme", "template"), line) for line in exc.message.splitlines()]) from None
    except Exception as exc:  # noqa: BLE001 — a package python-pptx or lxml cannot read raises any kind of error
        raise OutlineError([doc.problem(("theme", "template"), f"the template cannot be read as a presentation "
                                        f"({type(exc).__name__}) — re-save it in PowerPoint")]) from None


def _located(doc: Document, exc: AssetError | RenderError) -> OutlineError | None:
    """A writer's or renderer's error located in the outline: an asset error at its field (`theme.template`), a
    chart's at `charts[<id>]`, one located line per line of the message; None for an error of no outline element."""
    assert doc.outline is not None
    text = exc.message if isinstance(exc, AssetError) else str(exc)
    if isinstance(exc, AssetError) and exc.field:
        loc: tuple = tuple(int(p) if p.isdigit() else p for p in exc.field.replace("[", ".").replace("]", "").split("."))
    elif text.startswith("chart '"):
        chart = text[len("chart '"):].split("'", 1)[0]
        loc = next((("charts", i) for i, c in enumerate(doc.outline.charts) if c.id == chart), ())
    else:
        return None
    return OutlineError([doc.problem(loc, line if " — " in line else f"{line} — correct the outline")
                         for line in text.splitlines() if line.strip()])


def origin(full, tailored, loc: tuple) -> tuple:
    """Map a location in a tailored outline back to the outline as written (sections and points move)."""
    if full is tailored or len(loc) < 2 or loc[0] not in ("sections", "charts", "key_figures", "tables", "images") or not isinstance(loc[1], int):
        return loc
    items = getattr(tailored, loc[0])
    if loc[1] >= len(items):
        return loc
    item = items[loc[1]]
    originals = getattr(full, loc[0])
    idx = next((i for i, x in enumerate(originals) if x.id == item.id), loc[1])
    rest = loc[2:]
    if loc[0] == "sections" and len(rest) >= 2 and rest[0] == "points" and isinstance(rest[1], int) and rest[1] < len(item.points):
        point = item.points[rest[1]]
        opoints = originals[idx].points
        pidx = next((i for i, p in enumerate(opoints) if p is point or (p.id is not None and p.id == point.id) or p.text == point.text), rest[1])
        rest = ("points", pidx, *rest[2:])
    return (loc[0], idx, *rest)


def deck_files(doc: Document) -> tuple[bytes | None, bytes | None, dict[str, str]]:
    """The outline's own template bytes, logo bytes (None = built-in) and layout mapping, as read and checked by the loader."""
    assert doc.outline is not None
    return doc.files.get("template"), doc.files.get("logo"), dict(doc.outline.theme.layouts)
