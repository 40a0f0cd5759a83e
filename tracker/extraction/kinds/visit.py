"""Visits: [visitor, host], when the text frames a trip to the host state."""

from __future__ import annotations

import re

from tracker.extraction.analysis import Entity, other, pronoun_person
from tracker.extraction.candidates import PersonRef
from tracker.extraction.triggered import Site, TriggerKind, trigger

_HERE_AFTER = re.compile(r"\s*here\b")
_HOSTING = re.compile(
    r"\b(?:host(?:ed|s|ing)|receiv(?:ed|es|ing)|welcom(?:ed|es|ing)|greet(?:ed|s|ing))\b", re.I
)
_POSSESSIVE = re.compile(r"(?:his|her)\b", re.I)
# between the trigger and the host: a preposition, an article, at most one name-like word
# ("to the Republic of Korea", "to Beijing"), never a verb ("to convey Islamabad's support")
_DESTINATION = re.compile(r"^\s*(?:to|in|into|at|for)?\s*(?:the\s+)?(?:(?-i:[A-Z])\S*\s+)?$", re.I)
# "the visit of Prime Minister X to China", "a visit by X to Y": the visitor after the noun
_VISIT_OF = re.compile(r"^\s+(?:of|by)\s+", re.I)
_TRAVELLER = re.compile(
    r"\b(?:delegation|team|teams|minister|president|premier|leader|officials?|envoy|king|"
    r"chancellor|secretary|prince|emir|ambassador|he|she)\b",
    re.IGNORECASE,
)


def _actors(site: Site, ents: list[Entity]) -> list[tuple[str, ...]]:
    """(visitor, host): the visitor is the subject, the host the place the trigger points to."""
    doc = site.doc
    text = doc.text
    a, b = site.a, site.b
    host = None
    for e in ents:
        if e.start >= b and _DESTINATION.match(text[b : e.start]) and e.explicit:
            host = e.code
            break
        if e.start >= b:
            break
    if host is None and _HERE_AFTER.match(text[b : b + 8]) and doc.here:
        host = doc.here
    before = [e for e in ents if e.start < a and e.code != host]
    people_before = [e for e in before if e.person is not None]
    visitor = people_before[0] if people_before else before[0] if before else None
    if _HOSTING.match(site.match.group()):
        # the one welcomed is inside the trigger, the host's state after it or the subject's
        guests = [e for e in ents if a <= e.start < b and e.explicit]
        places = [e for e in ents if e.start >= b and e.explicit]
        hosts = [e for e in ents if e.start < a and e.explicit]
        where = places[0].code if places else hosts[-1].code if hosts else None
        if guests and where and guests[0].code != where:
            return [(guests[0].code, where)]
        return []
    if _VISIT_OF.match(text[b : b + 6]):
        after = [e for e in ents if e.start >= b and e.explicit]
        guest = next((e for e in after if e.person is not None), after[0] if after else None)
        if guest is not None:
            dest = re.search(r"\bto\s+", text[guest.end : site.c_end])
            place = (
                next((e for e in after if e.start >= guest.end + dest.end()), None)
                if dest
                else None
            )
            if place is not None and place.code != guest.code:
                return [(guest.code, place.code)]
    hosting = _HOSTING.search(text, site.c_start, a)
    if hosting is not None:
        # "Ramaphosa hosted Xi for a state visit": the object of the welcome is the visitor
        guests = [e for e in ents if hosting.end() <= e.start < a and e.explicit]
        hosts = [e for e in ents if e.start < hosting.start() and e.explicit]
        if guests and hosts and guests[0].code != hosts[-1].code:
            visitor, host = guests[0], hosts[-1].code
    possessive = _POSSESSIVE.match(text[a : a + 4])
    if site.anaphoric and possessive:
        who = pronoun_person(doc, a)
        if who is not None and who.country:
            visitor = Entity(a, b, who.country, who, explicit=False)
    if visitor is None:
        after = [e for e in ents if e.start >= b and e.code != host]
        visitor = next((e for e in after if e.person is not None), after[0] if after else None)
    if visitor is not None and visitor.person is None and not _TRAVELLER.search(site.clause):
        return []  # "Chinese missiles landed in ...": no one travelled
    code = visitor.code if visitor else None
    if code and host is None:
        host = next((e.code for e in ents if e.start >= b and e.code != code), None)
        host = host or other(doc, code) or (doc.here if doc.here != code else None)
    if host and code is None:
        code = other(doc, host)
    if code and host and code != host:
        return [(code, host)]
    return []


def _visitors(site: Site, ents: list[Entity], actors: tuple[str, ...]) -> tuple[PersonRef, ...]:
    """The named visitors (at most three)."""
    named = [e for e in ents if e.person is not None and e.code in (*actors, "")]
    grouped = [p for e in ents if e.group for p in e.group if p.country in actors]
    visitors = [e.person for e in named if e.person and e.code in (actors[0], "")]
    visitors += [p for p in grouped if p.country == actors[0]]
    return tuple(dict.fromkeys(visitors))[:3]


KIND = TriggerKind(
    type="visit",
    triggers=(
        trigger(
            r"\b(?:visit(?:ed|s|ing)?\s+(?=(?-i:[A-Z]))|visit to|arrived (?:in|at|here)|"
            r"arrives (?:in|at|here)|arriving in|(?:is|are) due (?:in|at)|flew (?:in)?to|"
            r"flies to|landed in|trip to|tour of|left for|leaves for|departed for|departs for|"
            r"jetted (?:off |out )?(?:of the country )?(?:to|for)|emplaned for|"
            r"travel(?:led|ed|s|ling|ing)? to|(?:state|official|working|two-day|three-day|"
            r"one-day|maiden|first) (?:state |official |working )?(?:visit|trip)|"
            r"invitation to (?:visit|attend)|"
            # "President Yoon welcomes President Biden to the Republic of Korea"
            r"welcom(?:ed|es|ing)\s+(?:[\w.'’-]+\s+){1,6}?to\s+(?=(?:the\s+)?(?-i:[A-Z])))",
            (
                "visit",
                "arriv",
                "flew",
                "flies",
                "landed",
                "trip",
                "tour",
                "travel",
                "due",
                "invitation",
                "left for",
                "leaves for",
                "depart",
                "jetted",
                "emplaned",
                "welcom",
            ),
        ),
        trigger(
            r"\b(?:the|this|his|her|their) (?:\w+ ){0,2}?(?:visit|trip)\b",
            ("visit", "trip"),
            anaphoric=True,
        ),
    ),
    actors=_actors,
    persons=_visitors,
    ordered=True,
    encounter=True,
)
