"""The offline demo: poll the bundled sample feeds through the normal pipeline, then answer
"where does the China–Pakistan relationship stand?" from the projections.

Everything goes through the same code a deployment runs (feeds.yaml -> poll -> extraction ->
append-only log -> projections); only the feeds are local files. Running it again records
nothing new.
"""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass
from importlib.resources import as_file, files
from pathlib import Path

from tracker.config import load_feeds
from tracker.feeds.poll import PollResult, poll_feeds
from tracker.projections import queries
from tracker.projections.model import RelationshipView, RelationSummary
from tracker.store import EventLog, VerifyReport, verify

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


def run_demo(store: EventLog, samples: Path | None = None) -> DemoReport:
    """Poll the bundled ``samples/feeds.yaml`` (package data, ``tracker/samples``; or the
    ``samples`` directory given) once and read back the relationships."""
    with ExitStack() as stack:
        # as_file: a real directory even when the package is installed as a zip
        where = samples or stack.enter_context(as_file(files("tracker") / "samples"))
        polls = poll_feeds(store, load_feeds(where / "feeds.yaml"))
    return DemoReport(
        polls=polls,
        relations=queries.relations(store),
        showcase=queries.relationship_view(store, *SHOWCASE),
        last_position=store.last_position(),
        verify=verify(store),
    )
