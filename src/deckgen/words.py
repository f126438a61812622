"""Words deckgen itself prints, by language: written-out dates (pure; the message catalogue grows here)."""
from __future__ import annotations

import datetime as _dt

_MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
    "pl": ("stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia", "września",
           "października", "listopada", "grudnia"),
}


def primary_language(language: str) -> str:
    """The primary subtag of a BCP 47 tag, lower case: 'en-GB' -> 'en'."""
    return language.split("-", 1)[0].lower()


def format_date(day: _dt.date, language: str = "en") -> str:
    """The date as printed: '19 April 2024' (en), '19 kwietnia 2024' (pl), ISO 8601 for other languages."""
    months = _MONTHS.get(primary_language(language))
    return f"{day.day} {months[day.month - 1]} {day.year}" if months else day.isoformat()


# thousands separator and decimal mark by language (a narrow no-break space where the language groups with a space)
_NUMBER_MARKS = {"en": (",", "."), "pl": ("\u202f", ","), "de": (".", ","), "fr": ("\u202f", ","), "ja": (",", ".")}


def format_number(value: float, decimals: int, language: str = "en") -> str:
    """A number as the language prints it, with `decimals` decimals: '1,234.5' (en), '1 234,5' (pl, a narrow no-break space U+202F);
    a minus sign for negatives; languages without an entry print as English does."""
    group, point = _NUMBER_MARKS.get(primary_language(language), _NUMBER_MARKS["en"])
    text = f"{abs(value):,.{decimals}f}"
    if round(value, decimals) == 0:
        negative = False
    else:
        negative = value < 0
    text = text.replace(",", "\x00").replace(".", point).replace("\x00", group)
    return ("-" if negative else "") + text
