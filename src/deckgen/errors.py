"""The deckgen exception tree and the located problem every error and warning is made of."""
from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple


@dataclass(frozen=True)
class Problem:
    """One located problem: where (file, line, column, field path) and what (message with its fix)."""

    file: str
    line: int
    col: int
    path: str
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.col}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class DeckgenError(Exception):
    """Base of every error deckgen reports to a user (never shown with a traceback)."""


class OutlineError(DeckgenError):
    """An outline that cannot be read or is not valid; carries every problem found at once."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        self.inputs: list = []  # data files the outline names, as far as it was read (for `watch`)
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self):  # made again from its problems (a build in another process raises it here: parallel.py)
        return _outline_error, (self.problems, self.inputs)


class AssetError(DeckgenError):
    """A file the outline points at (template, logo, font) is missing or unusable; `field` names the outline key."""

    def __init__(self, message: str, field: str = ""):
        self.message = message
        self.field = field
        super().__init__(f"{field}: {message}" if field else message)

    def __reduce__(self):
        return AssetError, (self.message, self.field)


def _outline_error(problems: list[Problem], inputs: list) -> OutlineError:
    error = OutlineError(problems)
    error.inputs = inputs
    return error


class RenderError(DeckgenError):
    """Writing a deck, brief or chart failed."""


class PlanWarning(NamedTuple):
    """A warning of a planner, as data: where in the (tailored) outline, and what the user should do."""

    loc: tuple[str | int, ...]
    message: str
