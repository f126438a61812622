"""`deckgen serve`: a local web page with the deck (the plan drawn) and the brief side by side, rebuilt when the outline
or its data files are saved and pushed to the page with server-sent events; problems listed with links to their slides.

The server is the standard library's threading HTTP server: one local user, a handful of routes and one event
stream need no framework, and nothing is added to install."""
from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from .build import audience_names, build, load, origin
from .errors import DeckgenError, OutlineError, Problem
from .theme import assets_dir
from .watch import file_stamp

HOST = "127.0.0.1"  # this machine only
POLL = 0.05  # s between looks at the outline's files (two stat calls)
PAGE_DPI = 110


@dataclass
class View:
    """One audience's products at one version of the outline: slide SVGs, page PNGs, problems (with the slide and page
    each concerns), seconds the rebuild took, and whether the outline failed to load (slides and pages: the last good)."""

    version: int
    audience: str | None
    slides: list[str] = field(default_factory=list)
    pages: list[bytes] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)
    seconds: float = 0.0
    failed: bool = False
    pending: bool = False  # the deck is this version's, the brief still the last one (being rebuilt)
    timings: dict[str, float] = field(default_factory=dict)  # deck, brief: seconds from the change to each being ready
    rendered_pages: int = 0  # pages rasterised for this view (the others were unchanged)

    def state(self, outline: str, audiences: list[str]) -> dict:
        """The JSON the page draws from (pages by the digest of their PNG: an unchanged page keeps its address)."""
        return {
            "version": self.version, "outline": outline, "audience": self.audience or "", "audiences": audiences,
            "failed": self.failed, "pending": self.pending, "seconds": round(self.seconds, 3), "problems": self.problems,
            "timings": {k: round(v, 3) for k, v in self.timings.items()}, "rendered_pages": self.rendered_pages,
            "slides": [{"n": i + 1, "svg": svg, "digest": _digest(svg.encode())} for i, svg in enumerate(self.slides)],
            "pages": [{"n": i + 1, "url": f"/page/{_digest(png)}.png"} for i, png in enumerate(self.pages)],
        }


class Session:
    """The outline being served: loaded again when its files change, rendered per audience on demand (one build at a
    time), the latest view of each audience kept so that an outline with errors still shows its last good products."""

    def __init__(self, outline: str | Path, audience: str | None = None, log: Callable[[str], None] | None = None) -> None:
        self.path = Path(outline)
        self.audience = audience  # the audience the page starts with
        self.log = log or (lambda _line: None)
        self.version = 0
        self.stage = 0  # counts every update the pages are told of (a version's deck, then its brief)
        self.lock = threading.RLock()
        self.changed = threading.Condition()
        self.doc = None
        self.error: DeckgenError | None = None
        self.inputs: list[Path] = []
        self.audiences: list[str] = []
        self.fresh: dict[str | None, View] = {}  # this version's views
        self.latest: dict[str | None, View] = {}  # the last view of each audience (kept across versions)
        self.pngs: dict[str, bytes] = {}  # page PNGs by digest, for the page's <img> requests
        self.page_cache: dict[str | None, dict[str, bytes]] = {}  # per audience: page PNGs by page fingerprint
        self.decks: dict[str | None, tuple] = {}  # per audience: this version's (planned deck, slide SVGs)
        self.wanted: list[str | None] = [audience]  # audiences pages asked for lately, the last one rendered ahead on a change
        self.store = None
        self._stamp: tuple | None = None

    # ------------------------------------------------------------------ files

    def poll(self) -> bool:
        """Load the outline again if one of its files changed since the last look, then update the audiences pages are
        showing in two steps, telling the pages after each: the deck first (re-planned and drawn: tens of ms), then
        the brief (rebuilt; only the pages that changed are rasterised again). True when it did."""
        now = tuple(file_stamp(p) for p in dict.fromkeys((self.path, *self.inputs)))
        if now == self._stamp:
            return False
        start = time.perf_counter()
        self.reload()
        self._stamp = tuple(file_stamp(p) for p in dict.fromkeys((self.path, *self.inputs)))  # a data file may be new
        names = self.wanted[-1:]  # the audience last asked for now; others when a page asks for them
        if self.error is None:
            for name in names:
                self.deck_view(name, start)
            self._notify()
        for name in names:
            self.view(name, start)
        view = self.fresh.get(self.wanted[-1] if self.wanted else None)
        n = len(view.problems) if view else 0
        self.log(f"{'not built: ' if self.error else 'built '}version {self.version} in {time.perf_counter() - start:.2f} s"
                 f"{f', {n} problem' + ('s' if n != 1 else '') if n else ''}")
        self._notify()
        return True

    def _notify(self) -> None:
        with self.changed:
            self.stage += 1
            self.changed.notify_all()

    def reload(self) -> None:
        with self.lock:
            try:
                self.doc = load(self.path)
                self.error = None
                self.inputs = list(self.doc.inputs)
                self.audiences = audience_names(self.doc)
            except DeckgenError as exc:
                self.error = exc
                self.inputs = list(getattr(exc, "inputs", None) or self.inputs)
            self.version += 1
            self.fresh = {}

    # ------------------------------------------------------------------ views

    def current(self, audience: str | None) -> View:
        """What there is to show for an audience now: this version's view (maybe with the brief still pending), else
        one made now."""
        v = self.fresh.get(audience)
        return v if v is not None else self.view(audience)

    def deck_view(self, audience: str | None, start: float) -> None:
        """This version's deck for an audience, with the last brief's pages until the new brief is ready."""
        with self.lock:
            try:
                planned, slides = self._deck(audience)
            except DeckgenError:
                return  # reported by the full view
            last = self.latest.get(audience)
            v = View(self.version, audience, slides, last.pages if last else [], last.problems if last else [],
                     time.perf_counter() - start, pending=True, timings={"deck": time.perf_counter() - start})
            self.fresh[audience] = v

    def view(self, audience: str | None, start: float | None = None) -> View:
        """This version's full view for an audience (None: the whole outline), made if not yet."""
        with self.lock:
            if not self.wanted or self.wanted[-1] != audience:
                self.wanted = [*[w for w in self.wanted if w != audience][-3:], audience]
            v = self.fresh.get(audience)
            if v is None or v.pending:
                v = self._render(audience, start if start is not None else time.perf_counter(), v)
                self.fresh[audience] = self.latest[audience] = v
                self.pngs = {_digest(p): p for w in self.latest.values() for p in w.pages}
            return v

    def _render(self, audience: str | None, start: float, deck: View | None) -> View:
        last = self.latest.get(audience)
        if self.error is not None or self.doc is None:
            problems = getattr(self.error, "problems", None) or [Problem(str(self.path), 1, 1, "", str(self.error))]
            return View(self.version, audience, last.slides if last else [], last.pages if last else [],
                        [_problem(p) for p in problems], time.perf_counter() - start, failed=True)
        try:
            return self._build(audience, start, deck)
        except OutlineError as exc:
            problems = exc.problems
        except DeckgenError as exc:
            problems = [Problem(str(self.path), 1, 1, "", line) for line in str(exc).splitlines()]
        return View(self.version, audience, last.slides if last else [], last.pages if last else [],
                    [_problem(p) for p in problems], time.perf_counter() - start, failed=True)

    def _deck(self, audience: str | None):
        """This version's planned deck and slide drawings for an audience (made once per version)."""
        from .preview import plan_for
        from .writers.svg import draw_deck

        made = self.decks.get(audience)
        if made is None or made[0] != self.version:
            planned = plan_for(self.doc, audience)
            made = (self.version, planned, [d.svg for d in draw_deck(planned.plan, planned.ctx)])
            self.decks[audience] = made
        return made[1], made[2]

    def _build(self, audience: str | None, start: float, deck: View | None) -> View:
        from .build import outline_theme
        from .chartcache import ChartStore
        from .raster import pdf_pngs_cached

        doc = self.doc
        theme = outline_theme(doc)
        if self.store is None or self.store.theme != theme:
            self.store = ChartStore(theme, workers=1)
        planned, slides = self._deck(audience)
        deck_ready = deck.timings["deck"] if deck is not None else time.perf_counter() - start
        built = build(doc, formats=("pdf",), audiences=[audience] if audience else [], write=False, chart_store=self.store)
        pdf = next(iter(built.data.values()))
        salt = doc.outline.theme.model_dump_json() if doc.outline is not None else ""
        shown = pdf_pngs_cached(pdf, self.page_cache.setdefault(audience, {}), PAGE_DPI, salt, fast=True)
        pages, rendered = shown.pngs, shown.rendered
        texts = [" ".join(t.split()) for t in shown.texts]
        problems = sorted(dict.fromkeys([*built.warnings, *planned.warnings]), key=lambda w: (w.line, w.col, w.path))
        where = _slide_paths(doc, planned)
        out = []
        for p in problems:
            slide = _slide_of(p.path, where)
            page = _page_of(planned.plan.slides[slide - 1], texts) if slide else None
            out.append(_problem(p, slide, page))
        seconds = time.perf_counter() - start
        return View(self.version, audience, slides, pages, out, seconds, timings={"deck": deck_ready, "brief": seconds},
                    rendered_pages=rendered)

    # ------------------------------------------------------------------ server

    def wait(self, stage: int, timeout: float) -> int:
        """Block until there is an update after `stage` (or timeout); the current stage."""
        with self.changed:
            self.changed.wait_for(lambda: self.stage != stage, timeout)
        return self.stage


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:20]


def _problem(p: Problem, slide: int | None = None, page: int | None = None) -> dict:
    return {"severity": p.severity, "where": f"{p.file}:{p.line}:{p.col}", "line": p.line, "col": p.col, "path": p.path,
            "message": p.message, "text": str(p), "slide": slide, "page": page}


def _slide_paths(doc, planned) -> list[tuple[int, str]]:
    """Each slide's outline path as problems name it (`sections[security]`), for slides that come from one place."""
    out = []
    for s in planned.plan.slides:
        if s.loc:
            out.append((s.number, doc.problem(origin(doc.outline, planned.outline, s.loc), "").path))
    return out


def _slide_of(path: str, slides: list[tuple[int, str]]) -> int | None:
    """The first slide showing the most specific part of the outline that holds `path`."""
    best: tuple[int, int] | None = None
    for number, sp in slides:
        if sp and (path == sp or path.startswith(sp + ".") or path.startswith(sp + "[")):
            if best is None or len(sp) > best[1]:
                best = (number, len(sp))
    return best[0] if best else None


def _page_of(slide, texts: list[str]) -> int | None:
    """The brief's page that shows the slide's title (its first words), if any."""
    title = " ".join("".join(getattr(r, "text", "") for r in slide.title).split())
    title = re.sub(r"\s*\(cont\.\)$", "", title)[:30]
    if len(title) < 4:
        return None
    return next((i + 1 for i, t in enumerate(texts) if title in t), None)


def _handler_class():
    """The request handler (http.server is imported when a server starts, not with the package)."""
    from http.server import BaseHTTPRequestHandler

    class _Handler(BaseHTTPRequestHandler):
        session: Session
        page: bytes
        stopping: threading.Event

        def log_message(self, format: str, *args) -> None:  # noqa: A002 — quiet: the CLI reports rebuilds itself
            return None

        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            url = urlparse(self.path)
            if url.path == "/":
                self._send(200, "text/html; charset=utf-8", self.page)
            elif url.path == "/state":
                name = (parse_qs(url.query).get("audience") or [""])[0] or None
                s = self.session
                if name is not None and s.error is None and name not in s.audiences:
                    name = None  # an audience the outline no longer has: the whole outline
                view = s.current(name)
                body = json.dumps(view.state(s.path.name, s.audiences), ensure_ascii=False).encode("utf-8")
                self._send(200, "application/json", body)
            elif url.path.startswith("/page/") and url.path.endswith(".png"):
                png = self.session.pngs.get(url.path[6:-4])
                if png is None:
                    self._send(404, "text/plain", b"no such page (rebuilt since)")
                else:
                    self._send(200, "image/png", png, cache=True)
            elif url.path == "/events":
                self._events()
            else:
                self._send(404, "text/plain", b"not found")

        def _send(self, status: int, kind: str, body: bytes, cache: bool = False) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "max-age=3600, immutable" if cache else "no-store")
            self.end_headers()
            self.wfile.write(body)

        def _events(self) -> None:
            """Server-sent events: `update` now, and again after each update (a version's deck, then its brief); a comment
        every 15 s."""
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            sent = -1
            try:
                self.wfile.write(b"retry: 500\n\n")
                while not self.stopping.is_set():
                    now = self.session.stage if sent < 0 else self.session.wait(sent, 15.0)
                    self.wfile.write(f"event: update\ndata: {now}\n\n".encode() if now != sent else b": ping\n\n")
                    self.wfile.flush()
                    sent = now
            except (BrokenPipeError, ConnectionResetError):
                return

    return _Handler


class Server:
    """`deckgen serve` as a library object: bound to 127.0.0.1 on a free port (or `port`), serving until close()."""

    def __init__(self, outline: str | Path, port: int = 0, audience: str | None = None,
                 log: Callable[[str], None] | None = None) -> None:
        path = Path(outline)
        if not path.is_file():
            raise OutlineError([Problem(str(path), 1, 1, "", "no such file — check the outline's path")])
        self.session = Session(path, audience, log)
        self.session.poll()  # the first build before the first page asks
        if self.session.doc is not None and self.session.doc.outline.charts:
            from .charts import warm_up  # matplotlib loaded while the user reads: a chart edit costs one render

            threading.Thread(target=warm_up, daemon=True, name="deckgen-warm-up").start()
        self.stopping = threading.Event()
        page = (assets_dir() / "serve" / "index.html").read_text(encoding="utf-8")
        page = page.replace("{{outline}}", _html(path.name)).replace("{{audience}}", _html(audience or ""))
        from http.server import ThreadingHTTPServer

        handler = type("Handler", (_handler_class(),), {"session": self.session, "page": page.encode("utf-8"), "stopping": self.stopping})
        self.httpd = ThreadingHTTPServer((HOST, port), handler)
        self.httpd.daemon_threads = True
        self.url = f"http://{HOST}:{self.httpd.server_address[1]}/"
        self._threads: list[threading.Thread] = []

    def start(self) -> Server:
        """Serve and watch in background threads; returns at once."""
        for target in (self.httpd.serve_forever, self._watch):
            t = threading.Thread(target=target, daemon=True)
            t.start()
            self._threads.append(t)
        return self

    def _watch(self) -> None:
        while not self.stopping.wait(POLL):
            try:
                self.session.poll()
            except Exception as exc:  # noqa: BLE001 — a bug in one rebuild must not stop the page: shown as a problem
                self.session.log(f"error: rebuild failed unexpectedly ({type(exc).__name__}: {exc})")

    def close(self) -> None:
        self.stopping.set()
        with self.session.changed:
            self.session.changed.notify_all()
        self.httpd.shutdown()
        self.httpd.server_close()


def serve(outline: str | Path, port: int = 0, audience: str | None = None, log: Callable[[str], None] | None = None) -> Server:
    """Start serving an outline's live page (see Server); call `.close()` to stop."""
    return Server(outline, port, audience, log).start()


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
