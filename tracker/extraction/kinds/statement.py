"""Statements: one per speaker and state spoken about, all of the speaker's remarks merged.

A reporting verb ("said", "stressed", "urged") makes a remark; its speaker is the subject before
the verb (relative clauses skipped), a pronoun or "the two sides" resolved through the
discourse, a state ("Beijing said"), or the person right after the verb ("said Sharif"). The
state spoken about is the first other state after the verb, else before it, else the story's
counterpart.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta
from itertools import pairwise

from tracker.extraction import rules
from tracker.extraction.analysis import Analysis, Entity, clauses, entities, evidence, other
from tracker.extraction.candidates import Candidate, PersonRef
from tracker.extraction.dates import find_dates
from tracker.extraction.extractor import Line
from tracker.extraction.lexicon import stance, topics
from tracker.extraction.text import Sentence

_WELCOME_TO = re.compile(r"welcom\w*\s+(?:[\w.'’-]+\s+){1,6}?to\s+(?:the\s+)?(?-i:[A-Z])", re.I)
_PASSIVE = re.compile(r"\b(?:was|were|been|being|is|are)\s+$", re.I)
_QUOTE = re.compile(r'"([^"]{12,})"')
_WHO = re.compile(r",\s*(?:who|which|whose|\w+ing|in|at|during|on)\b[^,]*,")
_AND = re.compile(r"\band\b")
_AND_END = re.compile(r"\band\s+(?:also\s+)?$")
_AND_THEN_END = re.compile(r"\band\s+(?:also\s+|then\s+|later\s+)?$")
_PRONOUN_END = re.compile(r"\b(?:he|she)\s*(?:also\s+)?$", re.I)
_BILATERAL = re.compile(
    r"\b(?:between us|our two (?:countries|nations|peoples)|both (?:countries|sides|nations)|"
    r"the two (?:countries|sides|nations)|bilateral|each other)\b",
    re.I,
)
_STATE_SUBJECT = re.compile(
    r"(?:'s)?\s*(?:(?:foreign|external affairs|defen[cs]e|commerce|trade) ministry|"
    r"ministry of (?:[a-z]+\s+){0,3}?[a-z]+|department of (?:[a-z]+\s+){0,3}?[a-z]+|"
    r"foreign office|government|cabinet|"
    r"presidency|embassy|mission|state department|president's office|"
    r"prime minister's office|leader|president|prime minister|premier|chancellor|"
    r"foreign minister)?(?:(?:'s)?\s+spokes(?:person|man|woman))?"
    r"\s*(?:(?:has|have|had|also|firmly|strongly|again|"
    r"once again)\s+)*(?:in a statement\s+)?",
    re.IGNORECASE,
)

Remark = tuple[Sentence, str | None, date | None]


class StatementExtractor:
    """Collects remarks sentence by sentence; merges them per speaker and addressee."""

    def __init__(self) -> None:
        self.remarks: dict[tuple[str, str], list[Remark]] = {}
        self.speakers: dict[tuple[str, str], PersonRef | None] = {}

    def read(self, doc: Analysis, line: Line) -> None:
        """Record the remarks of each clause with a reporting verb."""
        if rules.REPORTING.search(line.sent.text):
            self._clauses(doc, line.sent)

    def _clauses(self, doc: Analysis, sent: Sentence) -> None:
        text = doc.text
        d = doc.discourse
        for c_start, c_end in clauses(sent):
            clause = text[c_start:c_end]
            m = rules.REPORTING.search(clause)
            if m is None:
                continue
            v_start, v_end = c_start + m.start(), c_start + m.end()
            if rules.NEGATION_BEFORE.search(text[max(c_start, v_start - 25) : v_start]):
                continue
            if _PASSIVE.search(text[max(c_start, v_start - 12) : v_start]):
                continue  # "was welcomed by officials at the airport": done to, not said
            if _WELCOME_TO.match(text, v_start, c_end):
                continue  # "welcomes President X to the Republic of Korea": a visit, not a remark
            if rules.DENIAL.search(clause):
                continue  # "said there were no plans to meet": only rules an event out
            if m.group() in ("said", "says", "announced") and (
                any(v_end <= t < c_end for t in d.event_triggers)
                or (
                    len(text[v_end:c_end].strip(" .")) < 25
                    and any(sent.start <= t < v_start for t in d.event_triggers)
                )
            ):
                continue  # "the prime minister had dialled ..., the spokesperson said": a fact
            speaker, code, seg_start = _speaker(
                doc, sent, c_start, v_start, v_end, c_end, m.group()
            )
            ents = [e for e in entities(doc, v_end, c_end) if e.explicit and e.code]
            joint = _joint_speakers(doc, seg_start, v_start)
            if joint:
                # "Macron and Starmer pledged ...", "the two leaders reiterated ...": each speaks
                for person in joint:
                    others = [q.country for q in joint if q.country != person.country]
                    said = [e.code for e in ents if e.code != person.country]
                    target = (said or others or [None])[0]
                    key = (person.name, person.country or "")
                    self.speakers[key] = person
                    day = _statement_day(doc, sent, seg_start, c_end, key[1], target)
                    self.remarks.setdefault(key, []).append((sent, target, day))
                continue
            if code is None and speaker is not None and len(doc.main) == 2:
                # an official of no known state who speaks of one side speaks for the other
                # ("Commerce Minister X told reporters exports to India are rising")
                spoken_of = next((e.code for e in ents if e.code in doc.main), None)
                code = other(doc, spoken_of) if spoken_of else None
                if code is not None:
                    speaker = replace(speaker, country=code)
            if code is None:
                continue
            target = next((e.code for e in ents if e.code != code), None)
            if target is None:
                before = [e for e in entities(doc, c_start, seg_start) if e.explicit and e.code]
                target = next((e.code for e in before if e.code != code), None)
            key = (speaker.name if speaker else code, code)
            self.speakers[key] = speaker
            day = _statement_day(doc, sent, seg_start, c_end, code, target)
            addressees: list[str | None] = [*_listed_after(doc, ents, code, v_end)] or [target]
            for addressee in addressees:
                self.remarks.setdefault(key, []).append((sent, addressee, day))
            if speaker is not None:
                d.last_speaker = speaker
                d.last_subject = speaker

    def results(self, doc: Analysis) -> list[Candidate]:
        """One statement per speaker and addressee, its sentences merged."""
        out: list[Candidate] = []
        for key, items in self.remarks.items():
            speaker = self.speakers[key]
            code = key[1]
            targets = [t for _, t, _ in items if t]
            default = targets[0] if targets else other(doc, code)
            counterpart = other(doc, code)
            groups: dict[str, list[tuple[Sentence, date | None]]] = {}
            for sent, target, day in items:
                if target is None and counterpart and _BILATERAL.search(sent.text):
                    target = counterpart  # "... between us": the story's other state
                if target or default:
                    groups.setdefault(target or default or "", []).append((sent, day))
            for target, sents in groups.items():
                first, day = sents[0]
                joined = " ".join(dict.fromkeys(s.text for s, _ in sents))
                quote = _QUOTE.search(joined)
                out.append(
                    Candidate(
                        type="statement",
                        actors=(code, target),
                        evidence=evidence(doc, first),
                        persons=(speaker,) if speaker else (),
                        date=day.isoformat() if day else None,
                        date_precision="day" if day else None,
                        confidence=0.8 if speaker else 0.6,
                        fields={
                            "speaker": speaker.name if speaker else None,
                            "stance": stance(joined),
                            "topics": topics(joined),
                            "quote": quote.group(1) if quote else None,
                        },
                    )
                )
        return out


def _joint_speakers(doc: Analysis, seg_start: int, v_start: int) -> list[PersonRef]:
    """The speakers of a joint subject: two or more named officials of different states joined
    by "and" ("Macron and Starmer"), or "they" / "the two leaders" standing for the first
    official named of each of the story's states."""
    segment = doc.text[seg_start:v_start]
    ents = entities(doc, seg_start, v_start)
    named = [e.person for e in ents if e.person is not None and e.explicit and e.code]
    codes = {p.country for p in named if p is not None}
    if len(codes) >= 2 and _AND.search(segment) and not _AND_THEN_END.search(segment):
        return list(dict.fromkeys(p for p in named if p is not None))
    if not named:
        grouped = [p for e in ents if e.group for p in e.group]
        if len({p.country for p in grouped}) >= 2 and _GROUP_SUBJECT.search(segment):
            return list(dict.fromkeys(grouped))
    return []


_GROUP_SUBJECT = re.compile(
    r"\b(?:they|the leaders|(?:the two|both) (?:leaders|presidents|prime ministers|premiers|"
    r"ministers|foreign ministers))\s*(?:also\s+|have\s+|had\s+|jointly\s+)*$",
    re.I,
)


def _listed_after(doc: Analysis, ents: list[Entity], code: str, verb_end: int) -> list[str]:
    """States listed right after the verb as addressees ("called on Mali, Chad and Niger")."""
    others = [e for e in ents if e.code != code and e.person is None]
    if len(others) < 2 or others[0].start - verb_end > 12:
        return []
    out = [others[0].code]
    for prev, nxt in pairwise(others):
        if not re.fullmatch(r"\s*(?:,|,?\s+(?:and|as well as))\s*", doc.text[prev.end : nxt.start]):
            break
        out.append(nxt.code)
    return list(dict.fromkeys(out)) if len(out) >= 2 else []


def _speaker(
    doc: Analysis, sent: Sentence, c_start: int, v_start: int, v_end: int, c_end: int, verb: str
) -> tuple[PersonRef | None, str | None, int]:
    """Who speaks: the subject just before the verb (relative clauses skipped), or after it.

    Returns the person (None for a state speaking: "Beijing said"), their state and where the
    subject starts.
    """
    text = doc.text
    d = doc.discourse
    if verb.endswith("ing") and text[c_start:v_start].strip(" ,") == "":
        people = [
            e for e in entities(doc, sent.start, c_start) if e.person is not None and e.explicit
        ]
        if people:
            return (*_with_state(doc, people[0].person, people[0].code), c_start)
        return None, None, c_start
    masked = _WHO.sub(lambda m: " " * len(m.group()), text[c_start:v_start])
    cut = masked.rfind(",")
    if cut >= 0 and masked[cut:].strip(' ,"') == "":
        cut = masked[:cut].rfind(",")  # '"...," Erdogan said': the quote is before the comma
    seg_start = c_start + cut + 1
    blank = {
        c_start + i for m in _WHO.finditer(text[c_start:v_start]) for i in range(m.start(), m.end())
    }
    ents = [e for e in entities(doc, seg_start, v_start) if e.start not in blank]
    segment = text[seg_start:v_start]
    states = [e for e in ents if e.person is None and e.explicit]
    people = [e for e in ents if e.person is not None]
    if not people and len({e.code for e in states}) >= 2 and _AND.search(segment):
        return None, None, seg_start  # "CapitalA and CapitalB said": a joint voice, not one speaker
    if not people and _AND_END.search(segment) and d.last_speaker:
        return (*_with_state(doc, d.last_speaker, d.last_speaker.country or ""), seg_start)
    if people and _AND_THEN_END.search(segment):
        # "X met Y and said ...": the subject of the first verb speaks
        people = people[:1]
    for e in reversed(people):
        if not e.explicit and d.last_speaker is not None:
            return (*_with_state(doc, d.last_speaker, d.last_speaker.country or ""), seg_start)
        return (*_with_state(doc, e.person, e.code), seg_start)
    if _PRONOUN_END.search(segment):
        who = d.last_subject or d.last_speaker or d.last_person
        if who is not None:
            return (*_with_state(doc, who, who.country or ""), seg_start)
    if states and _STATE_SUBJECT.fullmatch(text[states[-1].end : v_start]):
        return None, states[-1].code, seg_start
    after = entities(doc, v_end, min(c_end, v_end + 60))
    if after and after[0].person is not None and text[v_end : after[0].start].strip() == "":
        return (*_with_state(doc, after[0].person, after[0].code), seg_start)
    return None, None, seg_start


def _with_state(
    doc: Analysis, person: PersonRef | None, code: str
) -> tuple[PersonRef | None, str | None]:
    """A speaker and their state; an official of unknown state speaks for the dateline's state."""
    if person is None:
        return None, code or None
    if not code and not person.country and doc.here and person.title:
        return replace(person, country=doc.here), doc.here
    return person, code or person.country


def _statement_day(
    doc: Analysis, sent: Sentence, seg_start: int, c_end: int, code: str, target: str | None
) -> date | None:
    """The day of a remark: of the call or talks it was made in, a day named with it, or the
    day of the story."""
    d = doc.discourse
    event = d.last_event
    if event is not None and event.date:
        pair = {code, target} if target else {code}
        recent = d.event_sentence >= d.sentence_index - 1
        if rules.DURING_EVENT.search(sent.text) or (recent and pair <= set(event.actors)):
            return date.fromisoformat(event.date)
    news = doc.news_date
    for m in find_dates(sent.text, doc.ref):  # the sentence's dates (cached), in the clause
        inside = seg_start <= sent.start + m.start < c_end
        if inside and m.precision == "day" and news and news - timedelta(days=7) <= m.day <= news:
            return m.day
    return news
