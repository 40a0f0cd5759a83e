"""Markdown export: a briefing note (relationship summary, then the timeline by year and month).

Article text is escaped for CommonMark: punctuation that would start emphasis, links, code or
raw HTML is backslash-escaped, and newlines are folded so a summary cannot open a new block.
Only absolute http(s) sources become links.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from urllib.parse import quote

from tracker.exports.labels import (
    Describe,
    contacts,
    details_line,
    entry_date,
    kind_label,
    persons_text,
    positions,
    safe_link,
    source_label,
    stance,
    summary_lists,
)
from tracker.exports.report import Report, moment_text, scope_text, timeline_groups
from tracker.projections.model import RelationshipView, Source, TimelineEntry

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~#!{}])")
_SPACE = re.compile(r"\s+")
_URL_SAFE = ":/?#[]@!$&'()*+,;=%~"  # percent-encode only what breaks a <...> destination


def md_text(text: str | None) -> str:
    """Plain text safe inside a Markdown paragraph or list item."""
    return _MD_SPECIAL.sub(r"\\\1", _SPACE.sub(" ", text or "").strip())


def md_link(label: str, url: str | None) -> str:
    """``[label](<url>)`` for an http(s) URL, else the escaped label alone."""
    link = safe_link(url)
    if link is None:
        return md_text(label)
    return f"[{md_text(label)}](<{quote(link, safe=_URL_SAFE)}>)"


def _sources(sources: Iterable[Source]) -> str:
    return "; ".join(md_link(source_label(s), s.url) for s in sources) or "none"


def _entry_line(e: TimelineEntry) -> str:
    head = f"**{entry_date(e)} · {md_text(kind_label(e.kind))}**"
    if e.planned:
        head += " (planned)"
    parts = [f"- {head}: {md_text(e.summary)}"]
    if e.persons:
        parts.append(f"  - Persons: {md_text(persons_text(e.persons))}")
    if e.location:
        parts.append(f"  - Where: {md_text(e.location)}")
    if details := details_line(e):
        parts.append(f"  - Details: {md_text(details)}")
    parts.append(f"  - Sources ({e.source_count}): {_sources(e.sources)}")
    return "\n".join(parts)


def _descriptor_line(view: RelationshipView) -> str:
    since = next(
        (d for d in reversed(view.descriptor_history) if d.descriptor == view.descriptor), None
    )
    notes = []
    if since is not None and since.since:
        notes.append(f"since {since.since.isoformat()}")
    if since is not None and since.source:
        notes.append(md_link(source_label(since.source), since.source.url))
    where = f" ({', '.join(notes)})" if notes else ""
    return f"- **Descriptor:** {md_text(view.descriptor)}{where}"


def _summary(report: Report) -> list[str]:
    v = report.view
    counts = ", ".join(f"{n} × {kind_label(k).lower()}" for k, n in sorted(v.counts.items()))
    lines = ["## Summary", ""]
    if v.descriptor:
        lines.append(_descriptor_line(v))
    lines.append(f"- **Events:** {sum(v.counts.values())} ({md_text(counts) or 'none'})")
    if v.first_date or v.last_date:
        lines.append(
            f"- **Period:** {v.first_date.isoformat() if v.first_date else '?'} to "
            f"{v.last_date.isoformat() if v.last_date else '?'}"
        )
    for label, entry in contacts(v):
        lines.append(
            f"- **{label}:** {entry_date(entry)}: "
            f"{md_text(entry.summary)} ({_sources(entry.sources)})"
        )
    if v.trend is not None:
        lines.append(f"- **Cooperation trend:** {v.trend:+.2f} per month (last 12 scored months)")
    if v.monthly_scores:
        latest = v.monthly_scores[-1]
        lines.append(
            f"- **Latest monthly score:** {latest.score:+.1f} in {latest.month} "
            f"({latest.events} events)"
        )
    for heading, entries, describe in summary_lists(v):
        lines += _list(heading, entries, describe)
    if v.statements:
        lines.append("- **Positions (latest statement per speaker and topic):**")
        lines += [
            f"  - {md_text(speaker)} on {md_text(topic)}: {stance(e)} "
            f"({entry_date(e)})"
            for speaker, topic, e in positions(v)
        ]
    return lines


def _list(title: str, entries: Sequence[TimelineEntry], describe: Describe) -> list[str]:
    if not entries:
        return []
    lines = [f"- **{title} ({len(entries)}):**"]
    lines += [
        f"  - {entry_date(e)}: {md_text(describe(e))} "
        f"({_sources(e.sources)})"
        for e in entries
    ]
    return lines


def _timeline(entries: tuple[TimelineEntry, ...]) -> list[str]:
    lines = ["## Timeline", ""]
    if not entries:
        lines.append("No events match.")
    for year, months in timeline_groups(entries):
        lines += [f"### {year}", ""]
        for month, items in months:
            if month:
                lines += [f"#### {month}", ""]
            lines += [_entry_line(e) for e in items]
            lines.append("")
    return lines


def render_markdown(report: Report) -> str:
    """The report as a Markdown briefing."""
    v, scope = report.view, scope_text(report.filters)
    lines = [
        f"# {md_text(report.title)}: relationship briefing",
        "",
        f"_{md_text(' and '.join(v.pair))}; log as of "
        f"{moment_text(report.filters.as_of or v.as_of)}, position {v.position}; "
        f"generated {moment_text(report.generated_at)}"
        + (f"; {md_text(scope)}" if scope else "")
        + "._",
        "",
        *_summary(report),
        "",
        *_timeline(report.entries),
    ]
    return "\n".join(lines).rstrip() + "\n"
