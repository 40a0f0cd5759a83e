"""Country codes: ISO 3166-1 alpha-3 from pycountry, resolved from names, ISO2 or ISO3."""

from __future__ import annotations

import difflib
import unicodedata
from functools import cache

import pycountry

# Codes in common use for states that ISO 3166-1 does not list.
_EXTRA_CODES = {"XKX": "Kosovo"}
# Everyday names pycountry does not carry as name/common_name/official_name.
_ALIASES = {
    "russia": "RUS",
    "iran": "IRN",
    "syria": "SYR",
    "south korea": "KOR",
    "north korea": "PRK",
    "vietnam": "VNM",
    "laos": "LAO",
    "taiwan": "TWN",
    "turkey": "TUR",
    "turkiye": "TUR",
    "uk": "GBR",
    "britain": "GBR",
    "great britain": "GBR",
    "usa": "USA",
    "us": "USA",
    "america": "USA",
    "united states of america": "USA",
    "palestine": "PSE",
    "vatican": "VAT",
    "moldova": "MDA",
    "tanzania": "TZA",
    "bolivia": "BOL",
    "venezuela": "VEN",
    "brunei": "BRN",
    "czechia": "CZE",
    "czech republic": "CZE",
    "ivory coast": "CIV",
    "cote d'ivoire": "CIV",
    "dr congo": "COD",
    "democratic republic of the congo": "COD",
    "republic of the congo": "COG",
    "congo": "COG",
    "micronesia": "FSM",
    "east timor": "TLS",
    "cape verde": "CPV",
    "swaziland": "SWZ",
    "burma": "MMR",
    "holland": "NLD",
}


class UnknownCountryError(ValueError):
    """A name that is no known state; ``suggestions`` holds the closest names."""

    def __init__(self, text: str, suggestions: list[str]) -> None:
        hint = f" (did you mean {', '.join(suggestions)}?)" if suggestions else ""
        super().__init__(f"unknown country {text!r}{hint}")
        self.text = text
        self.suggestions = suggestions


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).lower().split())


@cache
def _index() -> dict[str, str]:
    """Folded name / ISO2 / ISO3 -> ISO3."""
    index: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(c, attr, None)
            if value:
                index[_fold(value)] = c.alpha_3
        index[c.alpha_2.lower()] = c.alpha_3
        index[c.alpha_3.lower()] = c.alpha_3
    for code, name in _EXTRA_CODES.items():
        index[_fold(name)] = code
        index[code.lower()] = code
    index.update(_ALIASES)
    return index


@cache
def _codes() -> frozenset[str]:
    return frozenset(c.alpha_3 for c in pycountry.countries) | frozenset(_EXTRA_CODES)


def is_country_code(code: str) -> bool:
    """True when ``code`` is an upper-case alpha-3 code of a state."""
    return code in _codes()


def resolve_country(text: str) -> str:
    """ISO3 code for a name, ISO2 or ISO3 in any case; raises UnknownCountryError."""
    key = _fold(text.strip().replace("_", " "))
    code = _index().get(key)
    if code is None and key.startswith("the "):
        code = _index().get(key[4:])
    if code is None:
        names = sorted({country_name(c) for c in _codes()})
        folded = {_fold(n): n for n in names}
        close = difflib.get_close_matches(key, list(folded), n=3, cutoff=0.6)
        raise UnknownCountryError(text, [folded[c] for c in close])
    return code


def country_name(code: str) -> str:
    """A short English name for an ISO3 code (the code itself when unknown)."""
    if code in _EXTRA_CODES:
        return _EXTRA_CODES[code]
    c = pycountry.countries.get(alpha_3=code)
    if c is None:
        return code
    return str(getattr(c, "common_name", None) or c.name)


def canonical_pair(a: str, b: str) -> tuple[str, str]:
    """The canonical key of a bilateral relationship: the two ISO3 codes, sorted."""
    if a == b:
        raise ValueError("a relationship needs two different states")
    x, y = sorted((a, b))
    return x, y
