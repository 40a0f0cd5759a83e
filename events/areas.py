"""Agreement areas and relationship descriptors in one canonical spelling, so that "CPEC" and
"cooperation under the China-Pakistan Economic Corridor", "agricultural exports" and "export of
agricultural products", or "all-weather strategic cooperative partners" and "... partnership",
count as one. Pure: a small alias table and a few phrasing rules."""

from __future__ import annotations

import re

# canonical area -> other spellings sources use for it (compared case-folded)
_ALIASES: dict[str, tuple[str, ...]] = {
    "CPEC": (
        "china-pakistan economic corridor",
        "china pakistan economic corridor",
        "the cpec",
        "cpec projects",
    ),
    "Belt and Road": ("belt and road initiative", "bri", "the belt and road"),
    "e-commerce": ("ecommerce", "electronic commerce"),
}
_CANONICAL = {
    alias.casefold(): name
    for name, aliases in _ALIASES.items()
    for alias in (name, *aliases)
}
# "cooperation under the CPEC", "cooperation in e-commerce" -> the area itself
_COOPERATION = re.compile(r"^cooperation\s+(?:under|in|on|within)\s+(?:the\s+)?", re.IGNORECASE)
# "export(s) of agricultural products" -> "agricultural exports"
_EXPORT_OF = re.compile(r"^(export|import)s?\s+of\s+(.+?)\s+(?:products?|goods)$", re.IGNORECASE)


def canonical_area(area: str) -> str:
    """The canonical spelling of an agreement area (unknown areas come back tidied only)."""
    text = " ".join(area.split())
    text = _COOPERATION.sub("", text)
    match = _EXPORT_OF.match(text)
    if match:
        text = f"{match.group(2)} {match.group(1).lower()}s"
    return _CANONICAL.get(text.casefold(), text)


# "China and Pakistan are all-weather strategic cooperative partners" names the partnership
_PARTNERS = re.compile(r"\bpartners$", re.IGNORECASE)


def canonical_descriptor(descriptor: str) -> str:
    """The canonical spelling of a relationship descriptor ("... partners" -> "... partnership")."""
    return _PARTNERS.sub("partnership", " ".join(descriptor.split()))
