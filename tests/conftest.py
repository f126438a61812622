"""Shared fixtures: paths to the sample outlines."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini.yaml"
DEFAULT = ROOT / "outlines" / "us-japan-2024.yaml"


@pytest.fixture
def mini_text() -> str:
    return MINI.read_text(encoding="utf-8")


@pytest.fixture(autouse=True, scope="session")
def _private_chart_cache(tmp_path_factory):
    """The whole session keeps the chart cache in a temp folder: the suite never writes to the user's ~/.cache.

    Session-scoped so it is in place before module-scoped fixtures build anything.
    """
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DECKGEN_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "chart-cache"))
        yield


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: a test that runs whole builds in subprocesses or LibreOffice (seconds each)")


@pytest.fixture(scope="session")
def corpus(tmp_path_factory):
    """The template corpus (tests/templates.py): each template converted/made, deck built, outline planned and deck
    rendered at most once per session, on first use."""
    from templates import Corpus

    return Corpus(tmp_path_factory.mktemp("corpus"))
