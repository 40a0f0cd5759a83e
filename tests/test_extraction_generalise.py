"""Rule classes found on the third development set, checked on sentences of our own."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tracker.articles import Article
from tracker.extraction import Candidate, extract


def _run(text: str, published: str = "2023-06-15") -> list[Candidate]:
    day = datetime.fromisoformat(published).replace(tzinfo=UTC)
    return extract(Article(title="", text=text, published=day))


def _areas(text: str) -> list[str]:
    return [c.fields["area"] for c in _run(text) if c.type == "agreement"]


@pytest.mark.parametrize(
    ("text", "count"),
    [
        # the noun form, and a list after "namely" whose items each open with "on"
        (
            "Nepalese Prime Minister Pushpa Kamal Dahal and Indian Prime Minister Narendra Modi "
            "witnessed the exchange of four memoranda, namely on power trade, on irrigation, "
            "and on border roads and bridges.",
            3,
        ),
        # "among them" introduces a plain comma list
        (
            "Ghana and Nigeria signed nine agreements and protocols, among them accords on "
            "fisheries, aviation, customs and energy.",
            4,
        ),
        # preposition-led items with commas inside one of them, and a field as the last item
        (
            "Uzbekistan and Tajikistan signed documents on the joint management of water, on "
            "new border posts at Oybek, Bekobod and Pop, and in the field of tourism.",
            3,
        ),
    ],
)
def test_agreement_lists_in_other_shapes_give_one_event_per_item(text: str, count: int) -> None:
    areas = _areas(text)
    assert len(areas) == count
    assert not any(a.lower().startswith(("on ", "in ", "field")) for a in areas)
