"""The extraction package's shape: pure, one registry, trigger hints that never skip a match."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tracker.extraction.registry import EXTRACTORS, TRIGGER_KINDS
from tracker.extraction.text import normalise

FIXTURES = Path(__file__).parent / "fixtures"
TEXTS = sorted(FIXTURES.glob("*/*.txt")) + sorted(FIXTURES.glob("*/cache/*.txt"))


def test_importing_extraction_loads_no_store() -> None:
    code = (
        "import sys, tracker.extraction\n"
        "bad = [m for m in sys.modules if m.startswith(('tracker.store', 'sqlalchemy', "
        "'tracker.articles', 'httpx', 'alembic'))]\n"
        "print(bad); sys.exit(1 if bad else 0)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_event_type_has_one_extractor() -> None:
    kinds = [k.type for k in TRIGGER_KINDS]
    assert len(kinds) == len(set(kinds))
    assert {"meeting", "visit", "phone_call", "joint_statement", "agreement"} == set(kinds)
    assert len(EXTRACTORS) == 4


@pytest.mark.parametrize("kind", TRIGGER_KINDS, ids=lambda k: k.type)
def test_trigger_hints_cover_every_match(kind: object) -> None:
    """A clause is searched only when it holds one of a trigger's hints: every match of the
    trigger in the annotated texts must contain one, or the pre-test would hide it."""
    assert TEXTS, "no annotated texts"
    for path in TEXTS:
        text = normalise(path.read_text(encoding="utf-8")).text
        for trig in kind.triggers:  # type: ignore[attr-defined]
            for m in trig.pattern.finditer(text):
                found = m.group().lower()
                assert any(h in found for h in trig.hints), (path.name, m.group())
