"""The eval-corroboration command: cluster purity and completeness of a multi-outlet set."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tracker.cli._app import JsonOpt, app, console, emit_json
from tracker.corroboration_eval import evaluate_clusters


@app.command(name="eval-corroboration")
def eval_corroboration(
    directory: Annotated[
        Path, typer.Argument(help="Cluster set: clusters.json, NAME.meta.json, NAME.txt.")
    ],
    as_json: JsonOpt = False,
) -> None:
    """Ingest a cluster set into a fresh temporary store; print purity, completeness, misses.

    Example: tracker eval-corroboration tests/fixtures/corroboration
    """
    report = evaluate_clusters(directory)
    if as_json:
        emit_json({**report.summary(), "skipped": report.skipped, "misses": report.misses})
        return
    s = report.summary()
    console.print(
        f"{s['clusters']} clusters ({s['near_misses']} near misses), {s['articles']} articles: "
        f"{s['ingested']} ingested, {s['skipped']} skipped",
        markup=False,
    )
    console.print(
        f"completeness {s['completeness']:.3f} ({s['complete_clusters']}/{s['scored_clusters']}"
        f" clusters on one event; near misses {s['complete_near_misses']}/"
        f"{s['scored_near_misses']}) · matching completeness {s['matching_completeness']:.3f} "
        f"({s['matched_clusters']}/{s['matchable_clusters']}) · purity {s['purity']:.3f} "
        f"({s['pure_events']}/{s['scored_events']} events of one cluster)",
        markup=False,
        soft_wrap=True,
    )
    console.print(
        f"main clusters' articles: {s['articles_on_date']} yielded an event of the cluster's "
        f"kind on its date, {s['articles_other_date']} only on another date, "
        f"{s['articles_no_event']} no event of that kind (extraction)",
        markup=False,
        soft_wrap=True,
    )
    for line in [*report.misses, *(f"skipped {s}" for s in report.skipped)]:
        console.print(line, markup=False, soft_wrap=True)
