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
