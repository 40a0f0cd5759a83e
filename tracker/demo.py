"""The offline demo: poll the bundled sample feeds through the normal pipeline, then answer
"where does the China–Pakistan relationship stand?" from the projections.

Everything goes through the same code a deployment runs (feeds.yaml -> poll -> extraction ->
append-only log -> projections); only the feeds are local files. Running it again records
nothing new.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tracker.config import load_feeds
from tracker.feeds.poll import PollResult, poll_feeds
from tracker.projections import queries
from tracker.projections.model import RelationshipView, RelationSummary
from tracker.store import EventLog, VerifyReport, verify

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
SHOWCASE = ("CHN", "PAK")


@dataclass(frozen=True)
class DemoReport:
    """What the demo did and what the store now says."""

    polls: list[PollResult]
    relations: list[RelationSummary]
    showcase: RelationshipView
    last_position: int
    verify: VerifyReport

    @property
    def new_articles(self) -> int:
        """Articles recorded by this run."""
        return sum(p.new_articles for p in self.polls)

    @property
    def new_events(self) -> int:
        """Diplomatic events recorded by this run."""
        return sum(p.new_events for p in self.polls)


def run_demo(store: EventLog, samples: Path = SAMPLES) -> DemoReport:
    """Poll ``samples/feeds.yaml`` once and read back the relationships."""
    polls = poll_feeds(store, load_feeds(samples / "feeds.yaml"))
    return DemoReport(
        polls=polls,
        relations=queries.relations(store),
        showcase=queries.relationship_view(store, *SHOWCASE),
        last_position=store.last_position(),
        verify=verify(store),
    )
