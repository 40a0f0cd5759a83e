"""One-off: build events/data/countries.json from pycountry names and scripts/country_table.txt.

pycountry gives the ISO names; the table (written by hand for the UN members, the two observer
states and Kosovo) adds demonyms, capitals and institutions used as metonyms, and everyday names.
Run: python scripts/build_country_data.py
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pycountry

ROOT = Path(__file__).resolve().parent.parent
TABLE = ROOT / "scripts" / "country_table.txt"
OUT = ROOT / "events" / "data" / "countries.json"
LEADER_TABLE = ROOT / "scripts" / "leader_table.txt"
LEADERS_OUT = ROOT / "events" / "data" / "leaders.json"


def build_leaders() -> None:
    """leaders.json from the hand-written table (office terms as published by each government)."""
    rows = []
    for line in LEADER_TABLE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        code, role, title, start, end, name, aliases = line.split("|")
        assert pycountry.countries.get(alpha_3=code), code
        assert role in ("hos", "hog", "fm", "dpm", "defence", "army"), line
        rows.append(
            {
                "name": name,
                "aliases": _split(aliases),
                "country": code,
                "role": role,
                "title": title,
                "start": start,
                "end": end or None,
            }
        )
    LEADERS_OUT.write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
    print(f"{len(rows)} terms of office -> {LEADERS_OUT}")


def _split(field: str) -> list[str]:
    return [x.strip() for x in field.split(",") if x.strip()]


def _plain_names(code: str) -> list[str]:
    c = pycountry.countries.get(alpha_3=code)
    if c is None:
        return []
    names = []
    for attr in ("name", "common_name", "official_name"):
        value = getattr(c, attr, None)
        if value:
            names.append(value)
            # "Iran, Islamic Republic of" -> "Iran"; "Bolivia (Plurinational State of)" -> "Bolivia"
            short = re.split(r",| \(", value)[0].strip()
            names.append(short)
    return names


def _drop_ambiguous(out: dict[str, dict[str, object]], preferred: dict[str, str]) -> None:
    """A name claimed by several states stays only with the state events.countries prefers."""
    owners: dict[str, list[str]] = {}
    for code, entry in out.items():
        for key in ("names", "demonyms", "capitals"):
            for n in entry[key]:  # type: ignore[attr-defined]
                owners.setdefault(n, []).append(code)
    for n, codes in owners.items():
        if len(set(codes)) > 1:
            keep = preferred.get(n)
            for code in set(codes):
                if code != keep:
                    for key in ("names", "demonyms", "capitals"):
                        entry_list = out[code][key]
                        if n in entry_list:  # type: ignore[operator]
                            entry_list.remove(n)  # type: ignore[attr-defined]
            print(f"ambiguous {n!r}: {sorted(set(codes))} -> {keep}")


def main() -> None:
    from events.countries import _ALIASES, _EXTRA_CODES

    out: dict[str, dict[str, object]] = {}
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        code, demonyms, capitals, extra = [*line.split(";"), "", "", ""][:4]
        names = _plain_names(code) + [n for n, c in _ALIASES.items() if c == code]
        if code in _EXTRA_CODES:
            names.append(_EXTRA_CODES[code])
        names += _split(extra)
        seen: dict[str, str] = {}
        for n in names:
            # Lower-case aliases from events.countries ("south korea") get title case here.
            if "," in n:
                continue
            if not any(ch.isupper() for ch in n):
                n = n.upper() if len(n) <= 3 else n.title()
            n = re.sub(r"\b(Of|The|And)\b", lambda m: m.group().lower(), n)
            if len(n) <= 3 and n.upper() == n and n not in _split(extra):
                continue  # bare codes such as "US" only when the table lists them
            seen.setdefault(n.lower(), n)
        out[code] = {
            "names": sorted(seen.values()),
            "demonyms": _split(demonyms),
            "capitals": _split(capitals),
        }
    _drop_ambiguous(out, {k.title(): v for k, v in _ALIASES.items()})
    OUT.write_text(json.dumps(out, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
    print(f"{len(out)} states -> {OUT}")
    build_leaders()


if __name__ == "__main__":
    main()
