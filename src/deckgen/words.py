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
