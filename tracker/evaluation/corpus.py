"""Real-news corpora: check, import, describe and rebuild their gitignored text caches.

A corpus directory holds, per article ``NAME``: ``NAME.json`` (gold events), ``NAME.meta.json``
(``url``, ``outlet``, ``outlet_country``, ``published``, ``license``, ``query``, ``sha256``,
``chars``) and the text: ``NAME.txt`` beside them for public-domain texts (US government works),
``cache/NAME.txt`` (gitignored) for third-party news, which stays out of the repository.

The texts are the opening of each page as stored by the search tool's ``pages`` corpus (up to
about 2,000 characters): the excerpt, its leading `` date YYYY-MM-DD`` marker dropped, stripped,
cut to ``chars`` characters (the annotators cut a sentence the excerpt truncated), with one
trailing newline. ``rebuild`` redoes exactly that from a JSON Lines file of ``{"url",
"excerpt"}`` rows (what a look-up of ``query`` in the ``pages`` corpus returns) and keeps only
texts whose SHA-256 matches the meta: the gold stays valid only for the very same text.

Run as ``python -m tracker.evaluation.corpus check|stats|import|queries|rebuild ...``
(``queries`` lists, for each missing text, the URL and the look-up that finds it).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from events.countries import is_country_code
from tracker.evaluation.extraction import CACHE, text_path
from tracker.extraction.candidates import EVENT_TYPES

PUBLIC_DOMAIN = "public-domain"
_MARKER = re.compile(r"^\s*date \d{4}-\d{2}-\d{2}\s*")
_KINDS = frozenset(EVENT_TYPES)


def articles(directory: Path) -> list[str]:
    """The names of the articles of a corpus directory (those with a meta file)."""
    return sorted(p.name[: -len(".meta.json")] for p in directory.glob("*.meta.json"))


def _load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def check(directory: Path) -> list[str]:
    """Every problem of a corpus directory, one line each (empty: the corpus is sound).

    Checks: gold and meta present and well-formed, the text present and matching its hash,
    every evidence a substring of the text, actors valid ISO3 codes, known types.
    """
    problems: list[str] = []
    for name in articles(directory):
        meta = _load(directory / f"{name}.meta.json")
        gold_path = directory / f"{name}.json"
        if not gold_path.exists():
            problems.append(f"{name}: no gold file")
            continue
        gold = _load(gold_path)
        for key in ("url", "outlet", "sha256"):
            if not meta.get(key):
                problems.append(f"{name}: meta lacks {key}")
        path = text_path(directory, name)
        if not path.exists():
            problems.append(f"{name}: text missing ({path})")
            continue
        data = path.read_bytes()
        if meta.get("sha256") and hashlib.sha256(data).hexdigest() != meta["sha256"]:
            problems.append(f"{name}: text does not match its sha256")
        text = data.decode("utf-8")
        for i, event in enumerate(gold):
            where = f"{name}[{i}]"
            if event.get("type") not in _KINDS:
                problems.append(f"{where}: unknown type {event.get('type')!r}")
            actors = event.get("actors") or []
            if len(actors) != 2 or not all(is_country_code(a) for a in actors):
                problems.append(f"{where}: actors {actors!r} are not two ISO3 codes")
            quote = event.get("evidence") or ""
            if quote not in text:
                problems.append(f"{where}: evidence is not in the text")
    return problems


def stats(directories: list[Path]) -> dict[str, Any]:
    """What a set of corpus directories covers: articles, outlets, countries, pairs, types."""
    outlets: Counter[str] = Counter()
    countries: Counter[str] = Counter()
    pairs: Counter[str] = Counter()
    types: Counter[str] = Counter()
    total = 0
    for directory in directories:
        for name in articles(directory):
            total += 1
            meta = _load(directory / f"{name}.meta.json")
            outlets[str(meta.get("outlet"))] += 1
            countries[str(meta.get("outlet_country"))] += 1
            gold_path = directory / f"{name}.json"
            gold = _load(gold_path) if gold_path.exists() else []
            for pair in {"-".join(sorted(e["actors"])) for e in gold if e.get("actors")}:
                pairs[pair] += 1
            for event in gold:
                types[str(event.get("type"))] += 1
    return {
        "articles": total,
        "outlets": len(outlets),
        "outlet_countries": len(countries),
        "pairs": len(pairs),
        "articles_per_pair": dict(pairs.most_common()),
        "events_per_type": dict(types.most_common()),
        "articles_per_outlet": dict(outlets.most_common()),
    }


def import_corpus(source: Path, target: Path) -> int:
    """Copy an annotated corpus into the repository's layout: gold and meta beside each other,
    third-party texts into ``cache/``, public-domain texts beside the gold; ``chars`` recorded
    in the meta for ``rebuild``. Returns the number of articles copied."""
    (target / CACHE).mkdir(parents=True, exist_ok=True)
    count = 0
    for name in articles(source):
        meta = _load(source / f"{name}.meta.json")
        text = (source / f"{name}.txt").read_text(encoding="utf-8")
        meta["chars"] = len(text.rstrip("\n"))
        meta["sha256"] = hashlib.sha256(text.encode("utf-8")).hexdigest()
        public = meta.get("license") == PUBLIC_DOMAIN
        where = target / f"{name}.txt" if public else target / CACHE / f"{name}.txt"
        where.write_text(text, encoding="utf-8")
        shutil.copyfile(source / f"{name}.json", target / f"{name}.json")
        (target / f"{name}.meta.json").write_text(
            json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        count += 1
    return count


def text_from_excerpt(excerpt: str, chars: int) -> str:
    """The article text as the annotators made it from a stored page's excerpt."""
    return _MARKER.sub("", excerpt).strip()[:chars].rstrip() + "\n"


def rebuild(directory: Path, excerpts: Path) -> tuple[int, list[str]]:
    """Write ``cache/NAME.txt`` for each article whose URL has an excerpt in ``excerpts``
    (JSON Lines of ``{"url", "excerpt"}``) that gives the text of its hash. Returns the number
    written and the names still missing."""
    by_url: dict[str, str] = {}
    for line in excerpts.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            by_url[str(row["url"])] = str(row["excerpt"])
    (directory / CACHE).mkdir(exist_ok=True)
    written, missing = 0, []
    for name in articles(directory):
        meta = _load(directory / f"{name}.meta.json")
        if text_path(directory, name).exists():
            continue
        excerpt = by_url.get(str(meta.get("url")))
        text = text_from_excerpt(excerpt, int(meta.get("chars", 10**6))) if excerpt else None
        if text and hashlib.sha256(text.encode("utf-8")).hexdigest() == meta.get("sha256"):
            (directory / CACHE / f"{name}.txt").write_text(text, encoding="utf-8")
            written += 1
        else:
            missing.append(name)
    return written, missing


def main(argv: list[str] | None = None) -> int:
    """Command line: check, stats, import or rebuild a corpus directory."""
    parser = argparse.ArgumentParser(prog="python -m tracker.evaluation.corpus")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("check").add_argument("directory", type=Path)
    sub.add_parser("stats").add_argument("directories", type=Path, nargs="+")
    imp = sub.add_parser("import")
    imp.add_argument("source", type=Path)
    imp.add_argument("target", type=Path)
    sub.add_parser("queries").add_argument("directory", type=Path)
    reb = sub.add_parser("rebuild")
    reb.add_argument("directory", type=Path)
    reb.add_argument("excerpts", type=Path)
    args = parser.parse_args(argv)
    if args.command == "check":
        problems = check(args.directory)
        print("\n".join(problems) or f"OK: {len(articles(args.directory))} articles")
        return 1 if problems else 0
    if args.command == "stats":
        print(json.dumps(stats(args.directories), indent=1, ensure_ascii=False))
        return 0
    if args.command == "import":
        print(f"imported {import_corpus(args.source, args.target)} articles")
        return 0
    if args.command == "queries":
        for name in articles(args.directory):
            if not text_path(args.directory, name).exists():
                meta = _load(args.directory / f"{name}.meta.json")
                print(
                    json.dumps({"name": name, "url": meta.get("url"), "query": meta.get("query")})
                )
        return 0
    written, missing = rebuild(args.directory, args.excerpts)
    print(f"rebuilt {written} texts; {len(missing)} still missing: {' '.join(missing)}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
