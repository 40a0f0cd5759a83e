"""Facts of the China–Pakistan summit of 2022-11-02 as the pipeline would record them.

Several outlets report the same meeting (so it is corroborated), six agreements are signed,
both sides make statements, the 2021 trade figures are given; one agreement title is hostile
HTML and one statement summary is a spreadsheet formula.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from events import DiplomaticEvent, ExtractorInfo, Person, Provenance, make_event
from tracker.recording import record_facts
from tracker.store import SqlEventStore

HOSTILE_TITLE = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://evil.example/x","click")'
EXTRACTOR = ExtractorInfo(name="test", version="1")
XI = Person(name="Xi Jinping", title="President", country="CHN")
SHARIF = Person(name="Muhammad Shehbaz Sharif", title="Prime Minister", country="PAK")
SUMMIT = date(2022, 11, 2)
NOW = datetime(2022, 11, 4, 12, 0, tzinfo=UTC)
OUTLETS = {
    "cgtn": ("CGTN", "https://www.prnewswire.com/news-releases/cgtn-china-pakistan.html"),
    "xinhua": ("Xinhua", "https://english.news.cn/20221102/xi-meets-sharif/c.html"),
    "dawn": ("Dawn", "https://www.dawn.com/news/1718720/pm-shehbaz-meets-xi"),
    "hostile": (HOSTILE_TITLE, "https://news.example.org/agreements"),
}
AREAS = ("digital economy", "e-commerce", "photovoltaic", "agriculture", "science", "CPEC")


def _fact(kind: str, outlet: str, on: date | None, summary: str, **fields: Any) -> DiplomaticEvent:
    name, url = OUTLETS[outlet]
    fields.setdefault("actors", ("CHN", "PAK"))
    return make_event(
        kind,
        occurred_on=on,
        date_precision="day" if on else None,
        summary=summary,
        provenance=Provenance(article_id=f"art-{outlet}", url=url, title=name, source=outlet),
        extractor=EXTRACTOR,
        **fields,
    )


def summit_facts() -> list[DiplomaticEvent]:
    """The facts, in the order an ingest would record them."""
    meeting = "Xi Jinping met Shehbaz Sharif in Beijing"
    facts = [
        _fact("phone_call", "xinhua", date(2022, 4, 18), "Xi congratulated Sharif by phone",
              persons=(XI, SHARIF)),
        _fact("statement", "dawn", date(2022, 7, 5), FORMULA, actors=("PAK", "CHN"),
              stance="critical", topics=("debt",)),
        _fact("visit", "dawn", date(2022, 11, 1), "Sharif arrived in Beijing",
              actors=("PAK", "CHN"), persons=(SHARIF,), location="Beijing"),
        _fact("meeting", "cgtn", SUMMIT, meeting, persons=(XI, SHARIF), location="Beijing"),
        _fact("meeting", "xinhua", SUMMIT, meeting, persons=(XI, SHARIF), location="Beijing"),
        _fact("meeting", "dawn", SUMMIT, meeting, persons=(XI, SHARIF), location="Beijing"),
    ]  # fmt: skip
    facts += [
        _fact(
            "agreement",
            "hostile" if area == "e-commerce" else "cgtn",
            SUMMIT,
            f"China and Pakistan signed an agreement on {area}",
            area=area,
            title=HOSTILE_TITLE if area == "e-commerce" else f"MoU on {area}",
        )
        for area in AREAS
    ]
    facts += [
        _fact("statement", "cgtn", SUMMIT, "Xi: Pakistan is a high priority", speaker=XI,
              stance="supportive", topics=("CPEC",)),
        _fact("joint_statement", "cgtn", SUMMIT, "Joint statement on the partnership",
              topics=("core interests",), areas=("agriculture", "mining", "IT")),
        _fact("trade_figure", "cgtn", SUMMIT, "Trade reached $27.82 billion in 2021",
              amount=27.82, period="2021", change_pct=59.1),
        _fact("descriptor", "cgtn", SUMMIT, "All-weather strategic cooperative partnership",
              descriptor="all-weather strategic cooperative partnership"),
        _fact("meeting", "xinhua", None, "Officials met, date not given"),
    ]  # fmt: skip
    return facts


def record_summit(store: SqlEventStore) -> None:
    """Record the summit facts into ``store`` through the normal append path."""
    record_facts(store, summit_facts(), metadata={"source": "test"}, now=NOW)
