"""Candidates -> diplomatic events of ``events/``, with provenance and extractor stamp."""

from __future__ import annotations

from datetime import date

from events import DiplomaticEvent, ExtractorInfo, Person, Provenance, make_event
from events.countries import country_name
from tracker.extraction.candidates import Candidate
from tracker.extraction.document import Article
from tracker.extraction.engine import extract

EXTRACTOR = ExtractorInfo(name="rules", version="1.0")


def _summary(c: Candidate) -> str:
    names = " and ".join(country_name(a) for a in c.actors)
    who = ", ".join(p.name for p in c.persons)
    what = {
        "meeting": "meeting",
        "visit": "visit",
        "phone_call": "phone call",
        "statement": "statement",
        "joint_statement": "joint statement",
        "agreement": "agreement",
        "trade_figure": "trade figure",
        "descriptor": "relationship described",
    }[c.type]
    f = c.fields
    if c.type == "trade_figure":
        extra = (
            f"{f['direction']} {f['currency']} {f['amount']:g} {f['unit']} {f.get('period') or ''}"
        )
    elif c.type == "statement":
        extra = f"{f.get('speaker') or c.actors[0]}, {f.get('stance')}"
    else:
        extra = str(f.get("area") or f.get("descriptor") or "")
    parts = [f"{names}: {what}", f"({who})" if who else "", f"- {extra}" if extra else ""]
    return " ".join(p for p in parts if p)


def to_event(c: Candidate, article: Article, article_id: str) -> DiplomaticEvent:
    """The event of ``events/`` for one candidate; raises pydantic ValidationError if invalid."""
    fields = dict(c.fields)
    if c.type == "statement":
        speaker = next((p for p in c.persons if p.name == fields.get("speaker")), None)
        fields["speaker"] = (
            Person(name=speaker.name, title=speaker.title, country=speaker.country)
            if speaker
            else None
        )
    return make_event(
        c.type,
        actors=c.actors,
        persons=tuple(Person(name=p.name, title=p.title, country=p.country) for p in c.persons),
        occurred_on=date.fromisoformat(c.date) if c.date else None,
        date_precision=c.date_precision,
        planned=c.planned,
        summary=_summary(c),
        provenance=Provenance(
            article_id=article_id,
            url=article.url,
            title=article.title,
            source=article.feed,
            start=c.evidence.start,
            end=c.evidence.end,
            quote=c.evidence.quote,
        ),
        extractor=EXTRACTOR,
        confidence=c.confidence,
        **fields,
    )


def extract_facts(article: Article, article_id: str) -> list[DiplomaticEvent]:
    """The article's current and planned facts as events (background ones dropped).

    Two facts that would be indistinguishable (same kind, actors, day, evidence and summary)
    are one fact: the second is dropped, so that their deterministic ids never collide.
    """
    out: list[DiplomaticEvent] = []
    seen: set[tuple[object, ...]] = set()
    for c in extract(article):
        if c.background:
            continue
        event = to_event(c, article, article_id)
        key = (event.kind, event.actors, event.occurred_on, c.evidence.start, event.summary)
        if key not in seen:
            seen.add(key)
            out.append(event)
    return out
