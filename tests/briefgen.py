"""Generate long test outlines for the brief's pagination (deterministic: one seed, one outline), in English or Polish.

`long_outline(language, seed)` gives the outline as the YAML loader would (a dict of strings), with every feature that
stresses pagination: 10 sections (intros, 4–8 points, details from one sentence to ~180 words, sub-points, citations,
a quote, conclusions, two kinds of recommendations), 7 key figures, 8 charts (one bar chart of 17 categories, a
stacked column chart, a projected line with a target) and 20 sources with long URLs. `runin_heads` and `urls` give
what tests/pagecheck.py looks for in the built brief.
"""
from __future__ import annotations

import random

from deckgen.inline import plain

# ---------------------------------------------------------------- words

_EN = dict(
    nouns=(
        "alliance government ministry partners strategy cooperation security deterrence economy investment industry "
        "sanctions coalition parliament region treaty summit agreement capabilities infrastructure semiconductors "
        "shipbuilding procurement framework commitment presence dialogue negotiations stability resilience "
        "competitiveness technology reconstruction assistance intelligence logistics manufacturing trade tariffs "
        "elections institutions legislation budget exports imports coordination interoperability readiness "
        "modernisation surveillance command operations forces missiles research standards regulation funding"
    ).split() + ["supply chains", "export controls", "coast guard", "missile defence", "public opinion",
                 "energy security", "defence industry", "rules-based order", "maritime domain awareness"],
    adjectives=(
        "regional strategic bilateral trilateral multilateral economic long-term credible joint national "
        "international domestic maritime military industrial technological financial political diplomatic "
        "institutional sustainable comprehensive closer stronger wider limited gradual significant substantial "
        "uncertain effective coordinated additional integrated transatlantic Indo-Pacific"
    ).split(),
    verbs=(
        "strengthens supports expands limits requires reflects complements accelerates undermines reinforces shapes "
        "deepens extends reduces increases weakens signals underlines anticipates coordinates enables complicates"
    ).split(),
    phrases=["in the {a} {n}", "with {a} partners", "for the {n}", "across the {n}", "under the new {n}", "by 2030",
             "despite {a} {n}", "after the {n}", "within the {a} {n}", "at a time of {a} {n}", "over the next decade"],
    the="the",
    imperatives=("Strengthen Expand Coordinate Support Establish Review Propose Develop Deepen Monitor Fund Prepare "
                 "Harmonise Promote").split(),
    titles=["Background and context", "Security and deterrence", "Defence industry and procurement",
            "In their own words", "Economic security and supply chains", "Technology, research and standards",
            "Regional partnerships and domestic politics", "Conclusions", "Recommendations",
            "Recommendations in detail"],
    meta=dict(title="Allied Defence Industries After the 2024 Summits: Capacity, Money and Time",
              subtitle="How the Indo-Pacific allies and Europe can build, buy and share weapons faster",
              series="Policy Paper", number="No. 214 (2431)", authors=["Anna Kowalska", "James O'Connor", "Hiroshi Tanaka"],
              organisation="Institute for Security and Economic Policy"),
    countries=["Japan", "United States", "Philippines", "Australia", "South Korea", "India", "Taiwan", "Vietnam",
               "Indonesia", "Malaysia", "Thailand", "Singapore", "New Zealand", "Canada", "United Kingdom", "France",
               "Germany", "Poland", "Italy"],
    series=["Spending", "Plan", "Imports", "Exports", "Orders", "Deliveries", "Public", "Private", "Joint"],
    units=["% of GDP", "$ bn", "units", "% of respondents"],
    chart_titles=["Defence spending, % of GDP", "Orders placed with domestic industry", "Arms imports by country, 2019–2023",
                  "Research funding by source", "Trade with the region", "Exercises held with partners",
                  "Public support for higher spending", "Shipyard output"],
    sources_word="Data",
    quote=("We are determined to ensure that our alliance remains capable of meeting the challenges of a new era, "
           "and we will build what we need together."),
    quote_by="Joint statement of the leaders, April 2024",
    target="2% target",
    kf_values=["$800 bn", "2% of GDP", "17", "~1 million", "¥43 tn", "+26%", "3 of 5"],
)

_PL = dict(
    nouns=(
        "bezpieczeństwo współpraca gospodarka państwa sojusznicy rząd ministerstwo strategia odstraszanie inwestycje "
        "przemysł sankcje koalicja parlament region traktat szczyt porozumienie zdolności infrastruktura półprzewodniki "
        "zamówienia zobowiązania obecność dialog negocjacje stabilność odporność konkurencyjność technologia odbudowa "
        "pomoc wywiad logistyka produkcja handel cła wybory instytucje ustawodawstwo zależność żołnierze przyszłość "
        "wyzwania zagrożenia przedsiębiorstwa społeczeństwo władze większość dyplomacja modernizacja uzbrojenie "
        "finansowanie gotowość łączność źródła"
    ).split() + ["łańcuchy dostaw", "kontrola eksportu", "budżet obronny", "straż przybrzeżna", "obrona przeciwrakietowa",
                 "struktura dowodzenia", "świadomość sytuacyjna", "opinia publiczna", "ćwiczenia wojskowe",
                 "równowaga sił", "przemysł stoczniowy", "bezpieczeństwo energetyczne"],
    adjectives=(
        "regionalna strategiczna dwustronna trójstronna wielostronna gospodarcza długoterminowa wiarygodna wspólna "
        "narodowa międzynarodowa wewnętrzna morska wojskowa przemysłowa technologiczna finansowa polityczna "
        "dyplomatyczna instytucjonalna zrównoważona kompleksowa ściślejsza silniejsza szersza ograniczona stopniowa "
        "znacząca niepewna skuteczna skoordynowana dodatkowa zintegrowana północnoatlantycka wschodnioazjatycka "
        "przeciwrakietowa odpowiedzialna źródłowa"
    ).split(),
    verbs=(
        "wzmacnia wspiera rozszerza ogranicza wymaga odzwierciedla uzupełnia przyspiesza podważa kształtuje pogłębia "
        "zwiększa zmniejsza osłabia sygnalizuje podkreśla przewiduje koordynuje umożliwia utrudnia zapewnia wiąże"
    ).split(),
    phrases=["w regionie Indo-Pacyfiku", "z partnerami", "dla {n}", "na rzecz {n}", "w ramach {n}", "do 2030 r.",
             "mimo {n}", "po wyborach", "wobec zagrożeń", "przez państwa członkowskie", "ze względu na {n}",
             "między sojusznikami", "w najbliższych latach", "w świetle doświadczeń wojny w Ukrainie"],
    the="",
    imperatives=("Wzmocnić Rozszerzyć Koordynować Wspierać Ustanowić Przeanalizować Zaproponować Rozwijać Pogłębić "
                 "Monitorować Sfinansować Przygotować Ujednolicić Promować Zwiększyć").split(),
    titles=["Tło i kontekst", "Bezpieczeństwo i odstraszanie", "Przemysł obronny i zamówienia", "Ich własnymi słowami",
            "Bezpieczeństwo gospodarcze i łańcuchy dostaw", "Technologie, badania i normy",
            "Partnerstwa regionalne i polityka wewnętrzna", "Wnioski", "Rekomendacje", "Rekomendacje szczegółowe"],
    meta=dict(title="Przemysły obronne sojuszników po szczytach z 2024 r.: zdolności, pieniądze i czas",
              subtitle="Jak sojusznicy z Indo-Pacyfiku i Europa mogą szybciej produkować, kupować i dzielić się uzbrojeniem",
              series="Biuletyn PISM", number="Nr 214 (2431)",
              authors=["Łukasz Żółkiewski", "Małgorzata Ściążko", "Józef Kępiński"],
              organisation="Polski Instytut Spraw Międzynarodowych"),
    countries=["Japonia", "Stany Zjednoczone", "Filipiny", "Australia", "Korea Południowa", "Indie", "Tajwan", "Wietnam",
               "Indonezja", "Malezja", "Tajlandia", "Singapur", "Nowa Zelandia", "Kanada", "Wielka Brytania", "Francja",
               "Niemcy", "Polska", "Włochy"],
    series=["Wydatki", "Plan", "Import", "Eksport", "Zamówienia", "Dostawy", "Sektor publiczny", "Sektor prywatny",
            "Wspólne"],
    units=["% PKB", "mld USD", "sztuki", "% badanych"],
    chart_titles=["Wydatki obronne, % PKB", "Zamówienia złożone w krajowym przemyśle", "Import uzbrojenia według państw, 2019–2023",
                  "Finansowanie badań według źródła", "Handel z regionem", "Ćwiczenia z partnerami",
                  "Poparcie społeczne dla wyższych wydatków", "Produkcja stoczni"],
    sources_word="Dane",
    quote=("Jesteśmy zdecydowani zapewnić, że nasz sojusz sprosta wyzwaniom nowej epoki, a to, czego potrzebujemy, "
           "zbudujemy wspólnie."),
    quote_by="Wspólne oświadczenie przywódców, kwiecień 2024 r.",
    target="Cel 2%",
    kf_values=["800 mld USD", "2% PKB", "17", "ok. 1 mln", "43 bln JPY", "+26%", "3 z 5"],
)

_HOSTS = ["www.mofa.go.jp", "www.defense.gov", "www.csis.org", "www.sipri.org", "www.iiss.org", "www.rand.org",
          "www.pism.pl", "www.gov.pl", "www.nato.int", "ec.europa.eu", "www.meti.go.jp", "www.mod.go.jp",
          "www.whitehouse.gov", "www.state.gov", "apps.bea.gov", "www.jetro.go.jp", "www.stat.go.jp",
          "data.worldbank.org", "www.oecd.org", "www.imf.org"]
_SLUG = ("defence industrial base cooperation indo pacific security supply chain resilience annual report statistics "
         "procurement budget overview joint statement trilateral summit fact sheet strategy review export controls").split()


class _Writer:
    """Sentences and labels in one language from a seeded generator."""

    def __init__(self, language: str, seed: int):
        self.w = _PL if language == "pl" else _EN
        self.rng = random.Random(f"briefgen-{language}-{seed}")

    def pick(self, key: str) -> str:
        return self.rng.choice(self.w[key])

    def _np(self) -> str:
        the = self.w["the"]
        words = [the] if the and self.rng.random() < 0.7 else []
        if self.rng.random() < 0.6:
            words.append(self.pick("adjectives"))
        words.append(self.pick("nouns"))
        return " ".join(words)

    def clause(self) -> str:
        parts = [self._np(), self.pick("verbs"), self._np()]
        for _ in range(self.rng.choice((0, 1, 1, 2))):
            parts.append(self.pick("phrases").format(a=self.pick("adjectives"), n=self.pick("nouns")))
        return " ".join(parts)

    def sentence(self) -> str:
        text = self.clause()
        if self.rng.random() < 0.35:
            text += (", " if self.rng.random() < 0.5 else " — ") + self.clause()
        return text[0].upper() + text[1:].rstrip(".") + "."

    def prose(self, words: int) -> str:
        """Sentences up to about `words` words (at least one sentence)."""
        out = [self.sentence()]
        while sum(len(s.split()) for s in out) < words - 6:
            out.append(self.sentence())
        return " ".join(out)

    def point_text(self) -> str:
        text = self.clause()
        return text[0].upper() + text[1:]

    def imperative(self) -> str:
        return f"{self.pick('imperatives')} {self._np()} {self.pick('phrases').format(a=self.pick('adjectives'), n=self.pick('nouns'))}"


# ---------------------------------------------------------------- the outline


def _num(x: float) -> str:
    return f"{x:.1f}"


def _charts(g: _Writer) -> list[dict]:
    w, rng = g.w, g.rng
    years = [str(y) for y in range(2014, 2031)]

    def source() -> str:
        return f"{w['sources_word']}: {g.pick('nouns')} {g.pick('adjectives')}, {rng.choice(_HOSTS)}"

    t = w["chart_titles"]
    spend = [0.9 + 0.02 * i + rng.uniform(-0.05, 0.05) for i in range(11)] + [1.2 + 0.16 * i for i in range(1, 7)]
    return [
        dict(id="c-spend", kind="line", title=t[0], unit=w["units"][0], categories=years,
             series=[dict(name=w["series"][0], values=[_num(v) for v in spend])], projected_from="2025",
             target=dict(value="2.0", label=w["target"]), decimals="1", source=source()),
        dict(id="c-orders", kind="column", title=t[1], unit=w["units"][1], categories=[str(y) for y in range(2019, 2025)],
             series=[dict(name=w["series"][4], values=[_num(rng.uniform(5, 30)) for _ in range(6)]),
                     dict(name=w["series"][5], values=[_num(rng.uniform(5, 30)) for _ in range(6)])], source=source()),
        dict(id="c-imports", kind="bar", title=t[2], unit=w["units"][1], categories=w["countries"][:17], sort="true",
             series=[dict(name=w["series"][2], values=[_num(rng.uniform(0.5, 40)) for _ in range(17)])], source=source()),
        dict(id="c-research", kind="column", stacked="true", title=t[3], unit=w["units"][1],
             categories=[str(y) for y in range(2019, 2025)],
             series=[dict(name=w["series"][i], values=[_num(rng.uniform(1, 9)) for _ in range(6)]) for i in (6, 7, 8)],
             source=source()),
        dict(id="c-trade", kind="line", title=t[4], unit=w["units"][1], categories=[str(y) for y in range(2014, 2024)],
             series=[dict(name=w["series"][i], values=[_num(rng.uniform(50, 120)) for _ in range(10)]) for i in (2, 3)],
             source=source()),
        dict(id="c-exercises", kind="bar", title=t[5], unit=w["units"][2], categories=w["countries"][:6],
             series=[dict(name="2022", values=[str(rng.randint(2, 20)) for _ in range(6)]),
                     dict(name="2023", values=[str(rng.randint(2, 20)) for _ in range(6)])], source=source()),
        dict(id="c-support", kind="column", title=t[6], unit=w["units"][3], categories=w["countries"][10:18],
             series=[dict(name=w["series"][6], values=[str(rng.randint(20, 80)) for _ in range(8)])], source=source()),
        dict(id="c-ships", kind="line", title=t[7], unit=w["units"][2], categories=[str(y) for y in range(2013, 2025)],
             series=[dict(name=w["series"][5], values=[str(rng.randint(3, 15)) for _ in range(12)])], source=source()),
    ]


def _sources(g: _Writer) -> list[dict]:
    rng = g.rng

    def slug(n: int) -> str:
        return "-".join(rng.sample(_SLUG, n))

    out = []
    for i in range(1, 21):
        path = f"/{rng.choice(('en', 'pl', 'documents'))}/{slug(2)}/{rng.randint(2019, 2024)}/{rng.randint(1, 12):02d}/{slug(4).replace('-', '_', 2)}-{slug(3)}"
        query = f"?lang={rng.choice(('en', 'pl'))}&doc_id={rng.randint(1000, 99999)}&section=annex_{rng.randint(1, 9)}"
        url = f"https://{_HOSTS[i - 1]}{path}.{rng.choice(('pdf', 'html'))}{query}#page={rng.randint(2, 140)}"
        out.append(dict(id=f"s{i:02d}", title=g.point_text(), url=url, publisher=g.pick("nouns").capitalize() + " Office"))
    return out


def _points(g: _Writer, n: int, detail=True, subs=True, cite=True) -> list[dict]:
    rng = g.rng
    points = []
    for _ in range(n):
        p: dict = {"text": g.point_text()}
        if subs and rng.random() < 0.3:
            p["points"] = [g.point_text() for _ in range(rng.randint(2, 4))]
        if detail and rng.random() < 0.8:
            p["detail"] = g.prose(rng.choice((1, 25, 50, 80, 120, 180)))
        if cite and rng.random() < 0.7:
            p["sources"] = [f"s{k:02d}" for k in sorted(rng.sample(range(1, 21), rng.randint(1, 3)))]
        points.append(p)
    return points


def long_outline(language: str = "en", seed: int = 1) -> dict:
    """A long outline in `language` ("en" or "pl"), the same for the same seed; a dict of strings, as YAML loads it."""
    g = _Writer(language, seed)
    w, rng = g.w, g.rng
    charts = _charts(g)
    chart_at = {1: ["c-spend", "c-exercises"], 2: ["c-orders", "c-imports"], 4: ["c-trade"], 5: ["c-research", "c-ships"],
                6: ["c-support"]}
    sections = []
    for i, title in enumerate(w["titles"]):
        s: dict = {"id": f"sec-{i + 1}", "title": title}
        if i == 3:
            s.update(kind="quote", points=[{"text": w["quote"], "points": [w["quote_by"]]}])
        elif i == 7:
            s.update(kind="conclusions", intro=g.prose(45), points=_points(g, 5, subs=False))
        elif i == 8:
            s.update(kind="recommendations", points=[{"text": g.imperative()} for _ in range(6)])
        elif i == 9:
            s.update(kind="recommendations", intro=g.prose(30),
                     points=[{"text": g.imperative(), "detail": g.prose(rng.choice((30, 60, 90)))} for _ in range(4)])
        else:
            if i != 6:
                s["intro"] = g.prose(rng.choice((40, 70, 100)))
            s["points"] = _points(g, rng.randint(4, 8))
        if i in chart_at:
            s["charts"] = chart_at[i]
        sections.append(s)
    key_figures = [
        dict(id=f"kf-{i + 1}", value=v, label=g.point_text(), source=f"{g.pick('nouns').capitalize()}, {rng.randint(2019, 2024)}")
        for i, v in enumerate(w["kf_values"])
    ]
    meta = dict(w["meta"], date="2024-05-15", language=language)
    return dict(meta=meta, lead=g.prose(80), sections=sections, key_figures=key_figures, charts=charts, sources=_sources(g))


# ---------------------------------------------------------------- what the checker looks for


def runin_heads(outline: dict) -> list[str]:
    """The plain text of every point that has a detail: the brief sets it as a bold run-in head."""
    return [plain(p["text"]) for s in outline["sections"] for p in s.get("points", [])
            if isinstance(p, dict) and p.get("detail")]


def urls(outline: dict) -> list[str]:
    """The sources' URLs, which the brief's references list prints (unless the outline turns the list off)."""
    options = outline.get("options") or {}
    if str(options.get("sources_slide", "true")).lower() in ("false", "no", "off"):
        return []
    return [s["url"] for s in outline.get("sources", []) if s.get("url")]
