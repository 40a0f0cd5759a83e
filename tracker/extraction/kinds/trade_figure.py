"""Trade figures: a bilateral aggregate (total, exports, imports) with an amount and a period.

Targets, forecasts and product-level figures are left out. A comparison figure ("down 14.3
percent from $598.2 million a year earlier") is a second figure for the period a year before.
The reporting state and the period carry over to the next sentences of the same passage.
"""

from __future__ import annotations

import re

from tracker.extraction import rules
from tracker.extraction.analysis import Analysis, Entity, clauses, entities, evidence
from tracker.extraction.candidates import Candidate
from tracker.extraction.dates import find_dates
from tracker.extraction.extractor import Line
from tracker.extraction.patterns import contains_any
from tracker.extraction.text import Sentence

_DIGIT = re.compile(r"\d")
_TRADE_WORDS = ("trade", "export", "import", "shipment")
_ORDINAL = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3}
_COUNT = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
_QUARTER = re.compile(
    r"\b(first|second|third|fourth|1st|2nd|3rd)\s+quarter\b[^.;]{0,30}?((?:19|20)\d\d)", re.I
)
_MONTHS = re.compile(
    r"\bfirst\s+(two|three|four|five|six|seven|eight|nine|ten|eleven|\d{1,2})\s+months\s+"
    r"of\s+((?:19|20)\d\d)",
    re.I,
)
_HALF = re.compile(r"\b(first|second) half of (?:(?:the )?year )?((?:19|20)\d\d)", re.I)
_YEAR = re.compile(r"\b((?:19|20)\d\d)\b")


class TradeExtractor:
    """Finds trade figures sentence by sentence."""

    def __init__(self) -> None:
        self.found: list[Candidate] = []
        self.period: str | None = None  # the period named last in the passage
        self.reporter: str | None = None  # the state whose flows were reported last
        self.last: Candidate | None = None  # the figure found last ("this figure")

    def read(self, doc: Analysis, line: Line) -> None:
        """Every figure of the sentence's clauses."""
        sent = line.sent
        if not (
            _DIGIT.search(sent.text)
            and contains_any(line.lower, rules.MONEY_HINTS)
            and (
                contains_any(line.lower, _TRADE_WORDS)
                or (self.last is not None and _BACK_REFERENCE.search(sent.text))
            )
        ):
            return
        text = doc.text
        for c_start, c_end in clauses(sent):
            clause = text[c_start:c_end]
            amounts = [m for m in rules.MONEY.finditer(clause) if _is_figure(clause, m)]
            word = rules.TRADE_WORD.search(clause)
            back = _BACK_REFERENCE.search(clause) if self.last is not None else None
            if not amounts or (word is None and back is None):
                continue
            if rules.PRODUCT.search(clause):
                continue  # product-level figures
            world = rules.NOT_BILATERAL.search(clause)
            if world:
                # "overall exports to other countries": a state's trade with the world, unless
                # a partner is named ("imports from China into the country")
                named = _named_states(doc, c_start, c_end)
                if len(named) < (1 if "country" in world.group().lower() else 2):
                    continue
            if word is None and self.last is not None:
                # "this figure declined by 8% to $37.67 million": the flow named before
                actors, direction = self.last.actors, str(self.last.fields["direction"])
            else:
                assert word is not None
                direction = _direction(word.group())
                spans = [(c_start + m.start(), c_start + m.end()) for m in amounts]
                ents = [  # "U.S. dollars" names a currency, not a state
                    e
                    for e in entities(doc, c_start, c_end)
                    if e.code and not any(a <= e.start < b for a, b in spans)
                ]
                found = _actors(doc, ents, clause, c_start, direction, self.reporter)
                if found is None:
                    continue
                actors = found
            self.reporter = actors[0]
            period = _period(doc, clause) or _period(doc, sent.text) or self.period
            self.period = period
            # the current figure: the first amount not given as an earlier value, else the last
            main = next((m for m in amounts if not _is_comparison(clause, m)), amounts[-1])
            main_own = _own_period(doc, clause, main, amounts)
            for m in amounts:
                if m is main:
                    when, change = main_own or period, _change(clause)
                elif _is_comparison(clause, m):
                    # its own period, else the year before the current figure's
                    own = _own_period(doc, clause, m, amounts)
                    when, change = own or _previous_period(main_own or period), None
                else:
                    continue  # a second amount that is no comparison: not a flow figure
                self._figure(doc, sent, m, actors, direction, when, change)

    def results(self, doc: Analysis) -> list[Candidate]:
        """The figures in the order found."""
        return self.found

    def _figure(
        self,
        doc: Analysis,
        sent: Sentence,
        money: re.Match[str],
        actors: tuple[str, ...],
        direction: str,
        period: str | None,
        change: float | None,
    ) -> None:
        num = money.group("num") or money.group("num2")
        unit_raw = (money.group("unit") or money.group("unit2") or "").lower()
        cur_raw = (money.group("sym") or money.group("cur2") or "$").lower().rstrip(".")
        currency = rules.CURRENCIES.get(cur_raw, "USD")
        if currency == "rupee":
            currency = _rupee(actors, doc.here)
        self.last = Candidate(
            type="trade_figure",
            actors=actors,
            evidence=evidence(doc, sent),
            confidence=0.8,
            fields={
                "amount": float(num.replace(",", "")),
                "currency": currency,
                "unit": rules.UNITS.get(unit_raw, ""),
                "period": period,
                "direction": direction,
                "change_pct": change,
            },
        )
        self.found.append(self.last)


# the flow named in the sentence before: "this figure declined to ...", "it totalled ..."
_BACK_REFERENCE = re.compile(
    r"\b(?:(?:this|the|that) (?:figure|amount|value|volume|total)|"
    r"(?-i:it|It) (?:totall?ed|stood|reached|amounted|was|grew|rose|fell|declined|dropped|"
    r"increased|decreased|jumped|surged))\b",
    re.I,
)
_FORECAST_AFTER = re.compile(
    r"^\W*(?:\w+\s+){0,3}?(?:next year|by (?:19|20)\d\d|in the coming)", re.I
)
_COMPARED = re.compile(
    r"\b(?:from|against|compared (?:to|with)|as against|versus|vs\.?|over)\s+"
    r"(?:the\s+)?(?:(?:\w+\s+){0,2}?of\s+)?$",
    re.I,
)
_RELATIVE = re.compile(
    r"\W*(?:in |during |of )?(?:the )?(?:last|previous|preceding|same period|a year (?:earlier|ago)"
    r"|year earlier)",
    re.I,
)
_RUPEES = {"IND": "INR", "PAK": "PKR", "LKA": "LKR", "NPL": "NPR", "MUS": "MUR"}


def _named_states(doc: Analysis, start: int, end: int) -> set[str]:
    """The states named outright in ``[start, end)`` (not "bilateral", not pronouns)."""
    return {e.code for e in entities(doc, start, end) if e.code and e.explicit}


def _direction(word: str) -> str:
    if rules.EXPORTS.fullmatch(word):
        return "exports"
    if rules.IMPORTS.fullmatch(word):
        return "imports"
    return "total"


def _is_figure(clause: str, m: re.Match[str]) -> bool:
    """An amount that states a flow: not a target, a forecast or a balance."""
    before = clause[max(0, m.start() - 60) : m.start()]
    return (
        rules.TARGET.search(before) is None
        and rules.BALANCE.search(before) is None
        and not _FORECAST_AFTER.match(clause[m.end() :])
    )


def _is_comparison(clause: str, m: re.Match[str]) -> bool:
    """An amount given as the earlier value: "from $X", "against $X", "compared to $X"."""
    return _COMPARED.search(clause[max(0, m.start() - 40) : m.start()]) is not None


def _own_period(
    doc: Analysis, clause: str, m: re.Match[str], amounts: list[re.Match[str]]
) -> str | None:
    """The period written right after an amount ("$59.11 million in 2023-24"), if any; not a
    relative one ("last year"), which names the period before the current figure's."""
    nxt = min((a.start() for a in amounts if a.start() > m.start()), default=len(clause))
    after = clause[m.end() : min(nxt, m.end() + 40)]
    if _RELATIVE.match(after):
        return None
    return _period(doc, after)


def _rupee(actors: tuple[str, ...], here: str | None) -> str:
    """Which rupee: the reporting state's, else the other actor's, else the dateline's."""
    for code in (*actors, here):
        if code in _RUPEES:
            return _RUPEES[code]
    return "INR"


def _change(clause: str) -> float | None:
    """The signed percentage change stated in a clause ("down 38 percent" -> -38.0)."""
    change = rules.CHANGE.search(clause)
    if change is None:
        return None
    value = float(change.group("pct") or change.group("pct2"))
    word = change.group("dir") or change.group("dir2") or ""
    return -value if rules.FALLING.match(word) else value


def _previous_period(period: str | None) -> str | None:
    """The same period a year earlier: "2023-Q1" -> "2022-Q1"."""
    if period is None:
        return None
    m = re.match(r"^(FY)?(\d{4})(.*)$", period)
    if m is None:
        return None
    return f"{m.group(1) or ''}{int(m.group(2)) - 1}{m.group(3)}"


def _actors(
    doc: Analysis,
    ents: list[Entity],
    clause: str,
    c_start: int,
    direction: str,
    reporter: str | None,
) -> tuple[str, ...] | None:
    """(reporting state, partner): exports from, imports into the first; totals as named."""
    # states named outright first: "bilateral" stands for the story's pair, which may be another
    codes = list(dict.fromkeys([*(e.code for e in ents if e.explicit), *(e.code for e in ents)]))
    main = doc.main
    if direction == "total":
        if len(codes) >= 2:
            return (codes[0], codes[1])
        if len(main) == 2 and (not codes or codes[0] in main):
            return main
        return None
    word = (rules.EXPORTS if direction == "exports" else rules.IMPORTS).search(clause)
    assert word is not None
    w = c_start + word.start()
    before = [e.code for e in ents if e.end <= w]
    after = [e.code for e in ents if e.start >= w]
    first = before[-1] if before else reporter
    second = next((c for c in after if c != first), None)
    if first is None and second and len(main) == 2 and second in main:
        first = next(c for c in main if c != second)
    if second is None and first and len(main) == 2 and first in main:
        second = next(c for c in main if c != first)
    if first and second and first != second:
        return (first, second)
    return None


def _period(doc: Analysis, clause: str) -> str | None:
    """The period a trade figure covers: "2022", "2023-Q1", "2022-01/2022-11", "FY2023"."""
    fiscal = rules.FISCAL.search(clause)
    if fiscal:
        a = fiscal.group("a") or fiscal.group("ra")
        b = fiscal.group("b") or fiscal.group("rb")
        return f"FY{int(b) if b and len(b) == 4 else int(a) + 1 if b else a}"
    quarter = _QUARTER.search(clause)
    if quarter:
        return f"{quarter.group(2)}-Q{_ORDINAL[quarter.group(1).lower()]}"
    months = _MONTHS.search(clause)
    if months:
        n = months.group(1).lower()
        count = int(n) if n.isdigit() else _COUNT[n]
        return f"{months.group(2)}-01/{months.group(2)}-{count:02d}"
    half = _HALF.search(clause)
    if half:
        return f"{half.group(2)}-H{1 if half.group(1).lower() == 'first' else 2}"
    for d in find_dates(clause, doc.ref):
        if d.precision == "year":
            return str(d.day.year)
        if d.precision == "month":
            return f"{d.day.year}-{d.day.month:02d}"
    year = _YEAR.search(clause)
    return year.group(1) if year else None
