"""Words deckgen itself prints, by language: the message catalogue (en, pl), an outline's own labels, and dates and
numbers through Babel (CLDR) — pure."""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from functools import lru_cache

# Every word deckgen prints, by key. `en` and `pl` are complete (a test keeps them so); a language without a catalogue
# prints English words (with its own dates and numbers) and `deckgen check` says so. `{…}` fields are filled in.
CATALOGUE: dict[str, dict[str, str]] = {
    "en": {
        # slide kinds' titles and marks
        "agenda": "Agenda",
        "key_figures": "Key figures",
        "sources": "Sources",
        "thanks": "Thank you",
        "cont": "(cont.)",
        # captions and notes
        "figure": "Figure",
        "table": "Table",
        "source": "Source:",
        "total": "Total",
        "plan": "Plan",
        "planned": "{name} (plan)",
        "notes": "Notes",
        "image": "Image:",
        "credit": "Credit:",
        "logo": "Logo of {organisation}",
        "publisher": "the publisher",
        # the brief's end matter and footer
        "references": "Sources",
        "about_authors": "About the authors",
        "about": "About the publisher",
        "contact": "Contact",
        "page": "{page} / {pages}",
        # the alternative text generated from a chart's data
        "chart_line": "Line chart",
        "chart_column": "Column chart",
        "chart_bar": "Bar chart",
        "chart_area": "Area chart",
        "chart_scatter": "Scatter chart",
        "stacked": "stacked",
        "rises": "rises",
        "falls": "falls",
        "level": "stays level",
        "from_to": "{who} {trend} from {first} in {start} to {last} in {end}.",
        "from_to_plan": "{who} {trend} from {first} in {start} to {last} in {end} and is planned to reach {plan} in {final}.",
        "target_value": "a {value} target",
        "all_planned": "All values are planned.",
        "more_series": "{count} more series.",
        "and_more": "and {count} more",
        "reference_line": "Reference line at {value}: {label}.",
        "largest_first": "Largest first.",
        "axes": "Across: {x}; up: {y}.",
        # a chart's data as a table (brief: hidden beside the figure, or the annex)
        "chart_data": "Chart data",
        "data_for": "Data for {label}",
        # the alternative text of a table in the deck
        "table_alt": "Table: {title}. {rows} rows; columns: {columns}.",
        # the banners of the built-in classification levels
        "level_public": "PUBLIC",
        "level_internal": "INTERNAL",
        "level_restricted": "RESTRICTED",
        "level_confidential": "CONFIDENTIAL",
        "level_secret": "SECRET",
        "level_top_secret": "TOP SECRET",
    },
    "pl": {
        "agenda": "Plan prezentacji",
        "key_figures": "Kluczowe dane",
        "sources": "Źródła",
        "thanks": "Dziękujemy",
        "cont": "(cd.)",
        "figure": "Wykres",
        "table": "Tabela",
        "source": "Źródło:",
        "total": "Razem",
        "plan": "Plan",
        "planned": "{name} (plan)",
        "notes": "Przypisy",
        "image": "Ilustracja:",
        "credit": "Autor zdjęcia:",
        "logo": "Logo: {organisation}",
        "publisher": "wydawca",
        "references": "Źródła",
        "about_authors": "O autorach",
        "about": "O wydawcy",
        "contact": "Kontakt",
        "page": "{page} / {pages}",
        "chart_line": "Wykres liniowy",
        "chart_column": "Wykres kolumnowy",
        "chart_bar": "Wykres słupkowy",
        "chart_area": "Wykres warstwowy",
        "chart_scatter": "Wykres punktowy",
        "stacked": "skumulowany",
        "rises": "wzrost",
        "falls": "spadek",
        "level": "bez zmian",
        "from_to": "{who} — {trend}: z {first} ({start}) do {last} ({end}).",
        "from_to_plan": "{who} — {trend}: z {first} ({start}) do {last} ({end}); według planu {plan} ({final}).",
        "target_value": "docelowo {value}",
        "all_planned": "Wszystkie wartości są planowane.",
        "more_series": "Pozostałe serie: {count}.",
        "and_more": "i {count} innych",
        "reference_line": "Linia odniesienia na poziomie {value}: {label}.",
        "largest_first": "Od największej wartości.",
        "axes": "Oś pozioma: {x}; oś pionowa: {y}.",
        "chart_data": "Dane do wykresów",
        "data_for": "Dane do: {label}",
        "table_alt": "Tabela: {title}. Liczba wierszy: {rows}; kolumny: {columns}.",
        "level_public": "JAWNE",
        "level_internal": "DO UŻYTKU WEWNĘTRZNEGO",
        "level_restricted": "ZASTRZEŻONE",
        "level_confidential": "POUFNE",
        "level_secret": "TAJNE",
        "level_top_secret": "ŚCIŚLE TAJNE",
    },
}
KEYS = frozenset(CATALOGUE["en"])


def primary_language(language: str) -> str:
    """The primary subtag of a BCP 47 tag, lower case: 'en-GB' -> 'en'."""
    return language.split("-", 1)[0].lower()


def has_catalogue(language: str) -> bool:
    """Whether deckgen prints its own words in `language` (else English words, with the language's dates and numbers)."""
    return primary_language(language) in CATALOGUE


@lru_cache(maxsize=64)
def _locale(language: str):
    """The Babel locale of a BCP 47 tag: 'pl' -> pl, 'en-GB' -> en_GB; English when CLDR does not know the tag."""
    from babel import Locale, UnknownLocaleError

    for tag in (language, primary_language(language)):
        try:
            return Locale.parse(tag, sep="-")
        except (UnknownLocaleError, ValueError):
            continue
    return Locale.parse("en")


def known_locale(language: str) -> bool:
    """Whether CLDR (Babel) knows the language of the tag."""
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(primary_language(language))
    except (UnknownLocaleError, ValueError):
        return False
    return True


@lru_cache(maxsize=64)
def culture(language: str) -> str:
    """The tag with a region, as Office tags text runs: 'pl' -> 'pl-PL', 'en' -> 'en-US', 'en-GB' stays."""
    if "-" in language and len(language.split("-")[-1]) == 2:
        return language
    from babel.core import get_global

    likely = get_global("likely_subtags").get(primary_language(language))
    region = likely.split("_")[-1] if likely else ""
    return f"{primary_language(language)}-{region}" if len(region) == 2 and region.isalpha() else language


def format_date(day: _dt.date, language: str = "en") -> str:
    """The date written out as the language's CLDR long format: 'April 19, 2024' (en), '19 April 2024' (en-GB),
    '19 kwietnia 2024' (pl)."""
    from babel.dates import format_date as _format

    return _format(day, "long", locale=_locale(language))


def format_number(value: float, decimals: int, language: str = "en") -> str:
    """A number as the language prints it, with `decimals` decimals: '1,234.5' (en), '1 234,5' (pl, grouped with a
    no-break space); a minus sign only where the rounded value is not zero."""
    from babel.numbers import format_decimal

    value = round(value, decimals)
    if value == 0:
        value = 0.0  # no '-0'
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, pattern, locale=_locale(language), decimal_quantization=True)


def marks(language: str) -> tuple[str, str]:
    """The language's thousands separator and decimal mark (CLDR)."""
    from babel.numbers import get_decimal_symbol, get_group_symbol

    loc = _locale(language)
    return get_group_symbol(loc), get_decimal_symbol(loc)


@dataclass(frozen=True)
class Words:
    """The words of one language, with the outline's own labels over the catalogue's: `words["agenda"]`,
    `words("page", page=1, pages=4)`, `words.date(day)`, `words.number(1.5, 1)`."""

    language: str = "en"
    labels: tuple[tuple[str, str], ...] = ()

    def __getitem__(self, key: str) -> str:
        own = dict(self.labels)
        if key in own:
            return own[key]
        return CATALOGUE.get(primary_language(self.language), CATALOGUE["en"]).get(key) or CATALOGUE["en"][key]

    def __call__(self, key: str, **fields: object) -> str:
        return self[key].format(**fields)

    def date(self, day: _dt.date) -> str:
        return format_date(day, self.language)

    def number(self, value: float, decimals: int) -> str:
        return format_number(value, decimals, self.language)

    @property
    def culture(self) -> str:
        return culture(self.language)


def words_for(outline) -> Words:
    """The words an outline (as one audience gets it) prints: its language, its `labels` over the catalogue."""
    return Words(outline.meta.language, tuple(sorted(outline.labels.items())))
