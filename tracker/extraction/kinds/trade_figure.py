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

    def read(self, doc: Analysis, line: Line) -> None:
        """Every figure of the sentence's clauses."""
        sent = line.sent
        if not (
            _DIGIT.search(sent.text)
            and contains_any(line.lower, rules.MONEY_HINTS)
            and contains_any(line.lower, _TRADE_WORDS)
        ):
            return
        text = doc.text
        for c_start, c_end in clauses(sent):
            clause = text[c_start:c_end]
            money = rules.MONEY.search(clause)
            word = rules.TRADE_WORD.search(clause)
            if money is None or word is None:
                continue
            if rules.TARGET.search(clause[: money.start()]) or rules.PRODUCT.search(clause):
                continue  # targets, forecasts, product-level figures
            direction = "total"
            if rules.EXPORTS.fullmatch(word.group()):
                direction = "exports"
            elif rules.IMPORTS.fullmatch(word.group()):
                direction = "imports"
            ents = [e for e in entities(doc, c_start, c_end) if e.code]
            actors = _actors(doc, ents, clause, c_start, direction, self.reporter)
            if actors is None:
                continue
            self.reporter = actors[0]
            period = _period(doc, clause) or _period(doc, sent.text) or self.period
            self.period = period
            self._figure(doc, sent, money, actors, direction, period, _change(clause))
            for extra in rules.MONEY.finditer(clause, money.end()):
                if re.search(r"\bfrom\s+$", clause[max(0, extra.start() - 8) : extra.start()]):
                    # the comparison figure: "down 14.3 percent from $598.2 million a year ago"
                    earlier = _previous_period(period)
                    self._figure(doc, sent, extra, actors, direction, earlier, None)

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
        self.found.append(
            Candidate(
                type="trade_figure",
                actors=actors,
                evidence=evidence(doc, sent),
                confidence=0.8,
                fields={
                    "amount": float(num.replace(",", "")),
                    "currency": rules.CURRENCIES.get(cur_raw, "USD"),
                    "unit": rules.UNITS.get(unit_raw, ""),
                    "period": period,
                    "direction": direction,
                    "change_pct": change,
                },
            )
        )


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
    codes = list(dict.fromkeys(e.code for e in ents))
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
        a = fiscal.group("a")
        b = fiscal.group("b")
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
