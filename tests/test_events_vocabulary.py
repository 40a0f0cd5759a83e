"""The domain vocabulary: purity, registry, validation."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest
from pydantic import ValidationError

from events import (
    DIPLOMATIC_TYPES,
    ExtractorInfo,
    MeetingHeld,
    Provenance,
    UnknownCountryError,
    event_class,
    make_event,
    registered_types,
    resolve_country,
)
from tests.conftest import ROOT


def test_events_package_imports_no_machinery() -> None:
    code = (
        "import sys, events; bad = [m for m in sys.modules if m.split('.')[0] in "
        "('tracker', 'sqlalchemy', 'sqlmodel', 'httpx', 'typer', 'feedparser', 'apscheduler')];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_kind_has_a_registered_class_with_codes() -> None:
    assert set(DIPLOMATIC_TYPES) == {
        "meeting", "visit", "phone_call", "statement", "joint_statement", "agreement",
        "trade_figure", "descriptor",
    }  # fmt: skip
    for kind, cls in DIPLOMATIC_TYPES.items():
        assert event_class(cls.type_name) is cls
        extra = {"trade_figure": {"amount": 1.0}, "descriptor": {"descriptor": "friends"}}.get(
            kind, {}
        )
        e = make_event(
            kind, actors=("CHN", "PAK"), provenance=Provenance(),
            extractor=ExtractorInfo(name="t", version="1"), **extra,
        )  # fmt: skip
        assert e.cameo.isdigit() and e.plover.isupper()
    assert {"ArticleRecorded", "EventRetracted", "EventsMerged", "EventCorroborated"} <= set(
        registered_types()
    )


def test_events_are_immutable_and_validated() -> None:
    m = MeetingHeld(
        actors=("chn", "PAK"), occurred_on=date(2022, 11, 2), provenance=Provenance(),
        extractor=ExtractorInfo(name="t", version="1"),
    )  # fmt: skip
    assert m.actors == ("CHN", "PAK") and m.pair == ("CHN", "PAK")
    with pytest.raises(ValidationError):
        m.summary = "changed"  # type: ignore[misc]
    with pytest.raises(ValidationError, match="alpha-3"):
        MeetingHeld(
            actors=("CHN", "XXX"),
            provenance=Provenance(),
            extractor=ExtractorInfo(name="t", version="1"),
        )


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("China", "CHN"),
        ("pakistan", "PAK"),
        ("PK", "PAK"),
        ("usa", "USA"),
        ("Russia", "RUS"),
        ("The United Kingdom", "GBR"),
        ("Côte d'Ivoire", "CIV"),
        ("kor", "KOR"),
    ],
)
def test_resolve_country(text: str, code: str) -> None:
    assert resolve_country(text) == code


def test_unknown_country_suggests_closest_names() -> None:
    with pytest.raises(UnknownCountryError, match="did you mean Pakistan"):
        resolve_country("Pakistn")
