"""Score the extractor against an annotated gold directory (``NAME.txt`` + ``NAME.json``).

Matching, per article: same type and same unordered actor set, one to one, pairs with the same
status (current / planned / background) first, then the same date, then the nearest date.
Then:

- a gold current event matched by a current output is a true positive; unmatched it is a miss;
- a gold planned or background event counts as matched (true positive) when the output omits
  it or flags it the same way, and as an error (a false positive and a miss) when the output
  records it with another status (as a current event, say);
- an unmatched output event is a false positive unless it is flagged background (those are
  never recorded, so they cannot mislead a view).

Actor accuracy is over matched pairs: the ordered actors agree (order matters only where roles
do: statement, visit, trade figure). Date accuracy: same ISO date (or both none). Person recall:
gold persons found among the output persons (case and accents folded). Agreement-area recall:
gold current agreements with an area whose matched output names the same area (content words
folded: one set of words contains the other, or they share half). Leaks: gold background or
planned events recorded as current ones.

Texts: ``NAME.txt`` beside the gold, else ``cache/NAME.txt`` (third-party news is kept out of
the repository: see ``tracker.evaluation.corpus``). An article whose text is missing, or whose
text does not match the ``sha256`` of its meta, is skipped and counted. Scores are also given
per outlet (the meta's ``outlet``) and per pair (each event counted under its unordered pair).
Raises InputError for a directory without gold files.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from tracker.articles import read_article_file
from tracker.errors import InputError
from tracker.extraction.candidates import EVENT_TYPES, Candidate
from tracker.extraction.engine import extract

CACHE = "cache"

ORDERED_TYPES = frozenset({"statement", "visit", "trade_figure"})


@dataclass(frozen=True)
class TypeScore:
    """Precision, recall and F1 of one event type (or of all: ``type == "micro"``)."""

    type: str
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        """TP / (TP + FP); 1.0 when nothing was output."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        """TP / (TP + FN); 1.0 when there was nothing to find."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def row(self) -> dict[str, Any]:
        """Row for tables and JSON."""
        return {
            "type": self.type,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "f1": round(self.f1, 3),
        }


@dataclass
class EvalReport:
    """Scores over a gold directory, and the errors article by article."""

    articles: int
    types: list[TypeScore]
    micro: TypeScore
    actor_accuracy: float
    date_accuracy: float
    person_recall: float
    pairs: int
    errors: list[dict[str, Any]] = field(default_factory=list)
    area_recall: float = 1.0
    leaks: int = 0
    skipped: list[str] = field(default_factory=list)
    by_outlet: list[TypeScore] = field(default_factory=list)
    by_pair: list[TypeScore] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        """The headline numbers."""
        return {
            "articles": self.articles,
            "micro_precision": round(self.micro.precision, 3),
            "micro_recall": round(self.micro.recall, 3),
            "micro_f1": round(self.micro.f1, 3),
            "actor_accuracy": round(self.actor_accuracy, 3),
            "date_accuracy": round(self.date_accuracy, 3),
            "person_recall": round(self.person_recall, 3),
            "matched_pairs": self.pairs,
            "area_recall": round(self.area_recall, 3),
            "background_or_planned_as_current": self.leaks,
            "skipped": len(self.skipped),
        }

    def type_score(self, kind: str) -> TypeScore:
        """The score of one event type (all zero when the set has none)."""
        return next((t for t in self.types if t.type == kind), TypeScore(kind, 0, 0, 0))


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).lower().split())


def _status(event: dict[str, Any]) -> str:
    if event.get("background"):
        return "background"
    if event.get("planned"):
        return "planned"
    return "current"


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _pair_key(g: dict[str, Any], o: dict[str, Any]) -> tuple[int, int, int, int, int]:
    same_status = 0 if _status(g) == _status(o) else 1
    same_area = 0 if g["type"] != "agreement" or same_area_words(g, o) else 1
    same_order = 0 if list(g["actors"]) == list(o["actors"]) else 1  # roles first
    gd, od = _day(g.get("date")), _day(o.get("date"))
    same_date = 0 if gd == od else 1
    distance = abs((gd - od).days) if gd and od else 10_000
    return same_status, same_area, same_order, same_date, distance


_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "on",
        "in",
        "for",
        "and",
        "to",
        "with",
        "between",
        "about",
        "cooperation",
        "agreement",
        "agreements",
        "mou",
        "memorandum",
        "understanding",
        "field",
        "fields",
        "area",
        "areas",
        "sector",
    ]
)


def _area_words(value: Any) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", _fold(str(value or ""))) if w not in _STOP}


def same_area_words(g: dict[str, Any], o: dict[str, Any]) -> bool:
    """Whether two agreements name the same area: one's content words contain the other's, or
    they share at least half of the smaller set."""
    a, b = _area_words(g.get("area")), _area_words(o.get("area"))
    if not a or not b:
        return not a and not b
    return a <= b or b <= a or len(a & b) * 2 >= min(len(a), len(b))


def _person_names(event: dict[str, Any]) -> set[str]:
    out = set()
    for p in event.get("persons") or []:
        name = p.get("name") if isinstance(p, dict) else p
        if name:
            out.add(_fold(str(name)))
    return out


def same_person(a: str, b: str) -> bool:
    """Two spellings of one person's name (both folded): equal once hyphens are spaces, one's
    words within the other's ("Bola Tinubu" / "Bola Ahmed Tinubu", "Mohammed bin Salman" /
    "Mohammed bin Salman Al Saud"), or the same number of words spelled nearly alike
    ("Araqchi" / "Araghchi", "Zelenskiy" / "Zelensky"). Hand-written: a name matcher is a few
    lines, and the choice of what counts as one name is the scorer's own."""
    x, y = a.replace("-", " ").split(), b.replace("-", " ").split()
    if x == y:
        return True
    small, large = (x, y) if len(x) <= len(y) else (y, x)
    if len(small) >= 2 and set(small) <= set(large):
        return True
    if len(x) == len(y):
        return SequenceMatcher(None, " ".join(x), " ".join(y)).ratio() >= 0.85
    return False


@dataclass
class _Tally:
    tp: dict[str, int] = field(default_factory=dict)
    fp: dict[str, int] = field(default_factory=dict)
    fn: dict[str, int] = field(default_factory=dict)
    actor_ok: int = 0
    date_ok: int = 0
    pairs: int = 0
    persons_found: int = 0
    persons_gold: int = 0
    areas_found: int = 0
    areas_gold: int = 0
    leaks: int = 0
    groups: dict[str, list[int]] = field(default_factory=dict)  # "pair:A-B" -> [tp, fp, fn]
    outlet: str = ""

    def add(self, kind: str, bucket: dict[str, int], event: dict[str, Any] | None = None) -> None:
        bucket[kind] = bucket.get(kind, 0) + 1
        if event is None:
            return
        slot = 0 if bucket is self.tp else 1 if bucket is self.fp else 2
        pair = "-".join(sorted(str(a) for a in event.get("actors", [])))
        for key in (f"outlet:{self.outlet or '?'}", f"pair:{pair}"):
            self.groups.setdefault(key, [0, 0, 0])[slot] += 1


def score_article(
    gold: list[dict[str, Any]], output: list[dict[str, Any]], tally: _Tally, name: str
) -> list[dict[str, Any]]:
    """Match one article's output against its gold, add to ``tally``; return its errors."""
    gold = [g for g in gold if g.get("type") in EVENT_TYPES]
    output = [o for o in output if o.get("type") in EVENT_TYPES]
    options = sorted(
        (
            (_pair_key(g, o), gi, oi)
            for gi, g in enumerate(gold)
            for oi, o in enumerate(output)
            if g["type"] == o["type"] and set(g["actors"]) == set(o["actors"])
        ),
    )
    used_g: set[int] = set()
    used_o: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _, gi, oi in options:
        if gi in used_g or oi in used_o:
            continue
        used_g.add(gi)
        used_o.add(oi)
        pairs.append((gi, oi))
    errors: list[dict[str, Any]] = []
    for gi, oi in pairs:
        g, o = gold[gi], output[oi]
        kind = g["type"]
        gs, os_ = _status(g), _status(o)
        if gs == os_ or (gs != "current" and os_ == "background"):
            tally.add(kind, tally.tp, g)
            _measure(g, o, tally, errors, name)
        elif gs == "current" and os_ == "background":
            tally.add(kind, tally.fn, g)
            errors.append({"article": name, "error": "missed (output says background)", "gold": g})
        else:
            tally.add(kind, tally.fp, g)
            tally.add(kind, tally.fn, g)
            tally.leaks += os_ == "current"
            errors.append(
                {"article": name, "error": f"status {os_}, gold {gs}", "gold": g, "output": o}
            )
    for gi, g in enumerate(gold):
        if gi in used_g:
            continue
        if _status(g) == "current":
            tally.add(g["type"], tally.fn, g)
            errors.append({"article": name, "error": "missed", "gold": g})
            if g["type"] == "agreement" and g.get("area"):
                tally.areas_gold += 1
        else:
            tally.add(g["type"], tally.tp, g)
    for oi, o in enumerate(output):
        if oi not in used_o and _status(o) != "background":
            tally.add(o["type"], tally.fp, o)
            errors.append({"article": name, "error": "spurious", "output": o})
    return errors


def _measure(
    g: dict[str, Any], o: dict[str, Any], tally: _Tally, errors: list[dict[str, Any]], name: str
) -> None:
    tally.pairs += 1
    ordered = g["type"] in ORDERED_TYPES and g.get("direction") != "total"
    if not ordered or list(g["actors"]) == list(o["actors"]):
        tally.actor_ok += 1
    else:
        errors.append({"article": name, "error": "actor order", "gold": g, "output": o})
    if _day(g.get("date")) == _day(o.get("date")):
        tally.date_ok += 1
    else:
        errors.append({"article": name, "error": "date", "gold": g, "output": o})
    if g["type"] == "agreement" and g.get("area") and _status(g) == "current":
        tally.areas_gold += 1
        if same_area_words(g, o):
            tally.areas_found += 1
        else:
            errors.append({"article": name, "error": "area", "gold": g, "output": o})
    want = _person_names(g)
    got = _person_names(o)
    found = {w for w in want if any(same_person(w, x) for x in got)}
    tally.persons_gold += len(want)
    tally.persons_found += len(found)
    if want - found:
        errors.append({"article": name, "error": "persons", "gold": g, "output": o})


GoldArticle = tuple[str, Path, list[dict[str, Any]], dict[str, Any]]


def text_path(directory: Path, name: str) -> Path:
    """Where an article's text is: beside its gold, else in the directory's cache."""
    beside = directory / f"{name}.txt"
    return beside if beside.exists() else directory / CACHE / f"{name}.txt"


def load_gold(directory: Path, skipped: list[str] | None = None) -> list[GoldArticle]:
    """(name, text path, gold events, meta) for each article of a gold directory whose text is
    there and matches its meta's ``sha256``; the names of the others go to ``skipped``."""
    if not directory.is_dir():
        raise InputError(f"no such directory: {directory}")
    out = []
    for gold_path in sorted(directory.glob("*.json")):
        if gold_path.name.endswith(".meta.json") or gold_path.name.startswith("_"):
            continue
        name = gold_path.name[: -len(".json")]
        path = text_path(directory, name)
        meta_path = directory / f"{name}.meta.json"
        if not path.exists():
            if meta_path.exists() and skipped is not None:
                skipped.append(name)
            continue
        try:
            gold = json.loads(gold_path.read_text(encoding="utf-8"))
            meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
        except ValueError as e:
            raise InputError(f"{gold_path}: not valid JSON ({e})") from None
        if not isinstance(gold, list):
            raise InputError(f"{gold_path}: the gold must be a JSON list of events")
        want = meta.get("sha256")
        if want and hashlib.sha256(path.read_bytes()).hexdigest() != want:
            if skipped is not None:
                skipped.append(name)
            continue
        out.append((name, path, gold, meta))
    if not out and skipped:
        raise InputError(
            f"{directory}: the texts of all {len(skipped)} articles are missing or changed; "
            "rebuild the cache (see its README)"
        )
    if not out:
        raise InputError(f"{directory} holds no gold articles (NAME.txt with NAME.json)")
    return out


def _published(meta: dict[str, Any]) -> datetime | None:
    value = meta.get("published")
    if not value:
        return None
    try:
        d = date.fromisoformat(str(value)[:10])
    except ValueError:
        raise InputError(f"bad published date {value!r} in a .meta.json: use YYYY-MM-DD") from None
    return datetime(d.year, d.month, d.day, 12, tzinfo=UTC)


def evaluate(directory: Path) -> EvalReport:
    """Run the extractor on every gold article of ``directory`` and score it."""
    tally = _Tally()
    errors: list[dict[str, Any]] = []
    skipped: list[str] = []
    articles = load_gold(directory, skipped)
    for name, path, gold, meta in articles:
        article = read_article_file(path, url=meta.get("url"), published=_published(meta))
        output = [c.to_json() for c in extract(article)]
        tally.outlet = str(meta.get("outlet") or "")
        errors.extend(score_article(gold, output, tally, name))
    kinds = [k for k in EVENT_TYPES if k in tally.tp or k in tally.fp or k in tally.fn]
    types = [
        TypeScore(k, tally.tp.get(k, 0), tally.fp.get(k, 0), tally.fn.get(k, 0)) for k in kinds
    ]
    micro = TypeScore(
        "micro", sum(t.tp for t in types), sum(t.fp for t in types), sum(t.fn for t in types)
    )
    pairs = tally.pairs
    return EvalReport(
        articles=len(articles),
        types=types,
        micro=micro,
        actor_accuracy=tally.actor_ok / pairs if pairs else 1.0,
        date_accuracy=tally.date_ok / pairs if pairs else 1.0,
        person_recall=tally.persons_found / tally.persons_gold if tally.persons_gold else 1.0,
        pairs=pairs,
        errors=errors,
        area_recall=tally.areas_found / tally.areas_gold if tally.areas_gold else 1.0,
        leaks=tally.leaks,
        skipped=skipped,
        by_outlet=_groups(tally, "outlet:"),
        by_pair=_groups(tally, "pair:"),
    )


def _groups(tally: _Tally, prefix: str) -> list[TypeScore]:
    rows = [
        TypeScore(key[len(prefix) :], *counts)
        for key, counts in tally.groups.items()
        if key.startswith(prefix)
    ]
    return sorted(rows, key=lambda t: (-(t.tp + t.fn), t.type))


__all__ = ["Candidate", "EvalReport", "TypeScore", "evaluate", "score_article"]
