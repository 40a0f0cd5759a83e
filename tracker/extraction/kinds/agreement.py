"""Agreements: one candidate per area of the documents signed, inked, concluded or exchanged.

The areas come from a list after the trigger ("in the fields of A, B and C", "including ...",
"namely ..."), a colon list or bullet lines, a plain preposition ("an agreement on X"), or the
modifier before the noun ("a security cooperation agreement").
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from tracker.extraction import rules
from tracker.extraction.candidates import Candidate
from tracker.extraction.gazetteer import find_states
from tracker.extraction.triggered import Site, TriggeredState, TriggerKind, signatories, trigger

_COLON_LIST = re.compile(r"[^:;.]{0,60}?:\s*")
_BULLET_LINE = re.compile(
    r"(?:[ \t]*\n)+[ \t]*(?:[•·▪●◦*\-–—]|\(?\d{1,2}[.)]|\(?[a-z][.)])[ \t]+([^\n]+)"
)
_CIRCUMSTANCE = re.compile(
    r"^\s*(?:,\s*)?(?:in (?:the )?(?:presence|company|front) of|in (?:a|the) (?:ceremony|"
    r"signing ceremony)|by (?:the )?(?:two|both) (?:sides|leaders|ministers))\b",
    re.I,
)
_TITLED = re.compile(
    r"\b(?:President|Prime Minister|Premier|Chancellor|King|Queen|Emir|Crown Prince|"
    r"(?:Foreign |Deputy |State )?Minister|Secretary of State|Sheikh)\s+(?-i:[A-Z])",
)
_LIST_END = re.compile(r",\s+(?:\w+\s+){0,4}?(?:media|officials?|reported|said)\b|,\s+\w+ing\b")
_MODIFIER = re.compile(
    r"\b(?:an?|the|new)\s+((?:[a-z][\w-]*\s+){1,4}?)(?:cooperation\s+)?(?:agreements?|accords?|"
    r"deals?|pacts?|treaty|memorandum)\b",
)
# Words that open a list of areas wherever they stand after the trigger ("documents regarding
# cooperation in A, B and C", "MoUs in multiple areas, including A, B", "such as A and B").
_INTRODUCER = re.compile(
    r"\b(?:(?:in )?(?:the )?(?:areas?|fields?|spheres?|sectors?|domains?) of|covering|including|"
    r"namely|among them|among which|notably|such as|regarding|concerning|"
    r"relat(?:ed|ing) to|pertaining to|encompass(?:ed|ing)?|"
    r"span(?:ned|ning)?)\s+",
    re.I,
)
_PLAIN_PREPOSITION = re.compile(r"(?:on|in|for|to|of)\b", re.I)
_VAGUE = re.compile(
    r"^(?:(?:of|in|the)\s+)*(?:(?:mutual|common|shared)\s+interests?|(?:diverse|various|multiple|"
    r"different|several|many|all|key|other)\s+(?:areas|fields|sectors|spheres|domains))\b",
    re.I,
)
_QUANTITY = re.compile(r"^(?:(?:number|total|series|host|raft|range|set) of\s*)+")
_GENERIC_MODIFIERS = frozenset(
    [
        "bilateral",
        "several",
        "various",
        "other",
        "key",
        "important",
        "major",
        "new",
        "further",
        "additional",
    ]
)


def list_items(site: Site, state: TriggeredState) -> list[str]:
    """Areas of a list introduced by a colon after an agreement trigger, one per item.

    The items follow the colon in the same sentence, separated by semicolons ("signed four
    documents: a memorandum on X; an accord on Y; and a protocol on Z"), or stand on bullet
    lines after a sentence that ends with the colon. Bullet lines used so are marked, so that a
    trigger inside one ("- Exchange of Notes on ...") adds nothing more.
    """
    text = site.doc.text
    sent_end = site.sent.end
    m = _COLON_LIST.match(text, site.b, sent_end)
    if m is None:
        return []
    rest = text[m.end() : sent_end]
    if rest.strip():
        items = [i for i in re.split(r"\s*;\s*", rest) if i.strip()]
        if len(items) < 2:
            return []
    else:
        items = []
        pos = sent_end
        while (line := _BULLET_LINE.match(text, pos)) is not None:
            items.append(line.group(1))
            pos = line.end()
        state.listed_until = max(state.listed_until, pos)
    out: list[str] = []
    for item in items:
        item = re.sub(r"^(?:and|or)\s+|[\s;,.]+(?:and|or)?$", "", item.strip()).strip(" ;,.")
        area = rules.AREA_PREFIX.sub("", item).strip(" ,.") or item
        if area and area not in out:
            out.append(area)
    return out


def areas(after: str, strong_only: bool = False) -> list[str]:
    """The cooperation areas listed after an agreement trigger, one per item.

    A list introduced by "in the fields of", "covering" or "including" always counts; one
    after a plain preposition ("on X and on Y") only when ``strong_only`` is false, and never
    a place ("signed a pact in Pyongyang").
    """
    after = rules.AREA_END.sub("", after)  # "... and other areas of mutual interest" ends it
    m = _INTRODUCER.search(after)
    if m and m.group().startswith("in ") and re.search(r"(?:,|\band)\s*$", after[: m.start()]):
        m = None  # "on X, and in the field of Y": the field is one item of a longer list
    if m is None and strong_only:
        return []
    if m is None and _CIRCUMSTANCE.match(after):
        return []  # "signed in the presence of the two leaders": who watched, not an area
    if m is None:
        m = re.match(
            r"^(?:\s*of understanding)?\s*(?:,\s*)?(?:on|in|for|to (?:promote|resume|restore|"
            r"re-establish|establish|boost|expand|strengthen|deepen))\s+",
            after,
            re.I,
        )
    if m is None:
        return []
    rest = after[m.end() :]
    rest = re.split(r"\s+and\s+(?:also\s+)?(?:signed|inked|concluded|exchanged)\b", rest)[0]
    if _PLAIN_PREPOSITION.match(m.group().strip()):
        # a plain preposition: the list ends where the clause does
        rest = re.split(_LIST_END, rest)[0]
    rest = re.split(r",\s+and\s+(?=[A-Z])|\s+\band\s+(?=[A-Z][a-z]+\s+(?:said|announced))", rest)[0]
    out: list[str] = []
    by_prep = rules.AREA_PREP_SPLIT.split(rest)
    if len(by_prep) > 1:
        items = [i for p in by_prep for i in re.split(r",?\s+as well as\s+", p)]
    else:
        items = rules.AREA_SPLIT.split(rest)
    if len(by_prep) == 1 and not re.search(r",\s+and\s+", rest) and items:
        # no serial comma: the last "and" joins the last two items
        items = [*items[:-1], *re.split(r"\s+and\s+", items[-1])]
    for item in items:
        item = rules.AREA_PREFIX.sub("", item.strip())
        item = rules.AREA_STOP.sub("", item).strip(" ,.")
        place = find_states(item)
        if place and place[0].start == 0 and place[0].end == len(item):
            continue
        if _TITLED.search(item):
            continue  # an area is never a person ("Premier Li Keqiang")
        if _VAGUE.match(item):
            continue  # "areas of mutual interest", "various fields": no area named
        if item and len(item.split()) <= 12 and item not in out:
            out.append(item)
    return out


def modifier_area(trigger_text: str) -> str | None:
    """The area named before the agreement noun: "a security cooperation agreement"."""
    m = _MODIFIER.search(trigger_text)
    if m is None:
        return None
    words = _QUANTITY.sub("", m.group(1).strip())
    if not words or set(words.split()) <= _GENERIC_MODIFIERS:
        return None  # "a number of bilateral agreements" names no area
    return words


def _per_area(site: Site, base: Candidate, state: TriggeredState) -> list[Candidate]:
    inner = site.match.groupdict().get("areas")
    if inner:
        listed = areas("on " + inner)
        return [replace(base, fields={"area": a, "title": None}) for a in listed] or [
            replace(base, fields={"area": None, "title": None})
        ]
    modifier = modifier_area(site.match.group())
    listed = list_items(site, state) or areas(site.after, strong_only=modifier is not None)
    found: list[str | None] = [*listed] or [modifier]
    out = []
    for area in found:
        fields: dict[str, Any] = {"area": area, "title": None}
        out.append(replace(base, fields=fields))
    return out


def _same_area(old: Candidate, new: Candidate, also: bool) -> bool:
    return old.fields.get("area") == new.fields.get("area")


def _names_unnamed(old: Candidate, new: Candidate) -> bool:
    """Whether ``old`` is an agreement with no area that ``new`` (one with an area) names:
    "signed several agreements. The agreements signed include: ..."."""
    return (
        old.type == new.type == "agreement"
        and old.fields.get("area") is None
        and new.fields.get("area") is not None
        and set(old.actors) == set(new.actors)
        and (old.date, old.background, old.planned) == (new.date, new.background, new.planned)
    )


KIND = TriggerKind(
    type="agreement",
    triggers=(
        trigger(
            r"\bexchanged notes\b|\bexchange of notes\b"
            # the areas between the noun and a late passive: "The MoUs on cooperation in A, B,
            # C and D were signed in the presence of ..."
            r"|\b(?:agreements?|accords?|memorand(?:um|a)(?: of understanding)?|MoUs?|deals?|"
            r"documents|protocols?|pacts?)\s+(?:on|in|for|regarding|covering|concerning)\s+"
            r"(?P<areas>[^.;]{61,300}?)\s+(?:were|was|have been|had been) "
            r"(?:signed|inked|concluded|exchanged)\b"
            r"|\b(?:sign(?:ed|s|ing)?|ink(?:ed|s)?|concluded|exchanged|struck|strikes?|sealed|"
            r"seals?)\b[^.;]{0,80}?"
            r"\b(?:agreements?|accords?|memorand(?:um|a)|MoUs?|deals?|documents|protocols?|"
            r"treat(?:y|ies)|pacts?|contracts?)\b"
            # "witnessed the exchange of N memoranda": the noun form
            r"|\bexchange of\s+(?:\w+\s+){0,3}?(?:agreements|accords|memoranda|MoUs|documents|"
            r"protocols|instruments)\b"
            r"|\b(?:agreements?|accords?|memorand(?:um|a)(?: of understanding)?|MoUs?|deals?|"
            r"documents|protocols?|pacts?)\b[^.;]{0,60}?\b(?:were|was|have been|had been) "
            r"(?:signed|inked|concluded|exchanged)\b"
            # "The documents signed include:", "the agreements signed were"
            r"|\b(?:agreements|accords|memoranda|MoUs|deals|documents|protocols|instruments)\s+"
            r"(?:signed|inked|concluded)\s+(?:\w+\s+){0,3}?(?:include[sd]?|were|are|"
            r"cover(?:ed)?|encompass(?:ed)?|comprise[sd]?|relate[sd]? to|span(?:ned)?)\b"
            # the noun: "witnessed the signing of several documents regarding ..."
            r"|\bsigning (?:ceremony )?of\s+(?:\w+\s+){0,4}?(?:agreements?|accords?|"
            r"memorand(?:um|a)|MoUs?|deals?|documents|protocols?|treat(?:y|ies)|pacts?|"
            r"contracts?|instruments)\b",
            ("sign", "ink", "conclud", "exchang", "struck", "strike", "seal"),
        ),
    ),
    persons=signatories,
    variants=_per_area,
    same=_same_area,
    absorbs=_names_unnamed,
    reads_lists=True,
)
