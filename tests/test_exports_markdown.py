"""Markdown export: a briefing with the summary, the timeline by year/month, sources as links."""

from __future__ import annotations

import re

from tests.exports_sample import empty_report, sample_report
from tracker.exports.markdown import md_link, md_text, render_markdown


def test_the_briefing_has_summary_then_timeline_by_year_and_month() -> None:
    text = render_markdown(sample_report())
    headings = re.findall(r"^(#+) (.+)$", text, flags=re.M)
    assert headings[0] == ("#", "China–Pakistan: relationship briefing")
    assert [h for level, h in headings if level == "##"] == ["Summary", "Timeline"]
    assert [h for level, h in headings if level == "###"] == ["2022", "2023", "Undated"]
    assert [h for level, h in headings if level == "####"] == [
        "April 2022",
        "July 2022",
        "November 2022",
        "July 2023",
    ]
    summary = text.split("## Timeline")[0]
    assert "all-weather strategic cooperative partnership" in summary
    assert "- **Last meeting:** 2022-11-02" in summary
    assert "- **Agreements (6):**" in summary
    assert "total trade 2021: USD 27.82 billion (+59.1%)" in summary
    assert "6 × agreement" in summary


def test_sources_are_links_and_unsafe_urls_are_not() -> None:
    text = render_markdown(sample_report())
    assert "[Xi meets Pakistani prime minister (Xinhua)](<https://english.news.cn/" in text
    assert "](<javascript:" not in text and "(javascript:" not in text
    assert "%3Cb%3E" in text  # a '<' inside a URL cannot close the <...> destination


def test_article_text_cannot_inject_markup() -> None:
    text = render_markdown(sample_report())
    # every '<' is either backslash-escaped or opens a link destination ``](<https://...>)``
    assert re.findall(r"(?<!\\)(?<!\]\()<", text) == []
    assert len(re.findall(r"(?<!\\)>", text)) == len(re.findall(r"\]\(<[^<>]*>\)", text))
    assert r"\<script\>alert(1)\</script\>" in text
    assert md_text("*bold* [x](y) `c`\n# h") == r"\*bold\* \[x\](y) \`c\` \# h"
    assert md_link("a]b", "javascript:alert(1)") == r"a\]b"


def test_an_empty_relationship_says_so() -> None:
    text = render_markdown(empty_report())
    assert "- **Events:** 0 (none)" in text and "No events match." in text
