"""Append throughput: ours vs the eventsourcing recorder, same batches, same run.

Every batch is appended to every sink in turn (ours and the peer's, on each backend), so all
stores receive identical rows and only the time inside each ``append`` is counted (generating
the synthetic events is not).
"""

from __future__ import annotations

import gc
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from benchmarks.rows import Row
from benchmarks.targets import Target
from tracker.synth import Batch, SyntheticEvent, day_batches, generate


@dataclass(frozen=True)
class Timing:
    """Events appended and seconds spent per sink (keyed ``(backend, "ours"|"peer")``)."""

    events: int
    batches: int
    seconds: Mapping[tuple[str, str], float]


def full_batches(items: Iterable[SyntheticEvent], size: int, count: int) -> Iterator[Batch]:
    """``count`` batches of exactly ``size`` events of one stream each (per-stream buffers)."""
    pending: dict[str, list[SyntheticEvent]] = {}
    made = 0
    for item in items:
        group = pending.setdefault(item.stream_id, [])
        group.append(item)
        if len(group) == size:
            yield Batch(item.stream_id, tuple(group), item.recorded_at)
            pending[item.stream_id] = []
            made += 1
            if made == count:
                return


def singles(items: Iterable[SyntheticEvent]) -> Iterator[Batch]:
    """One event per batch (one transaction per event)."""
    for item in items:
        yield Batch(item.stream_id, (item,), item.recorded_at)


def drive(targets: Iterable[Target], batches: Iterable[Batch]) -> Timing:
    """Append each batch to every sink of every target, timing each sink separately.

    The cyclic garbage collector is paused while timing (and run every 500 batches, untimed):
    otherwise its passes over the generator's objects land in whichever append is running."""
    sinks = [
        ((t.backend, side), sink)
        for t in targets
        for side, sink in (("ours", t.ours), ("peer", t.peer))
    ]
    seconds = dict.fromkeys((key for key, _ in sinks), 0.0)
    events = count = 0
    gc.collect()
    gc.disable()
    try:
        for batch in batches:
            # Alternate who goes first, so neither side always finds the batch's objects warm.
            for key, sink in sinks if count % 2 == 0 else sinks[::-1]:
                start = time.perf_counter()
                sink.append(batch)
                seconds[key] += time.perf_counter() - start
            events += len(batch.items)
            count += 1
            if count % 500 == 0:
                gc.collect()
    finally:
        gc.enable()
    return Timing(events, count, seconds)


def load(targets: list[Target], n: int, seed: int) -> Timing:
    """Fill every store with the same ``n`` synthetic events, appended as an ingester would."""
    return drive(targets, day_batches(generate(n, seed)))


@dataclass(frozen=True)
class AppendPlan:
    """How much to append in each measured mode, on top of the ``n`` loaded events."""

    singles: int
    batches_of_100: int
    batches_of_1000: int

    @classmethod
    def for_size(cls, n: int) -> AppendPlan:
        """About a fifth of ``n`` (at most 2,000 single appends, 100 x 100 and 20 x 1,000)."""
        return cls(
            min(2000, max(n // 5, 20)), min(100, max(n // 100, 2)), min(20, max(n // 1000, 1))
        )


def measure(targets: list[Target], n: int, seed: int, plan: AppendPlan) -> list[Row]:
    """Append rows for stores already holding ``n`` events: 1/tx, batches of 100 and 1,000."""
    modes = [
        ("append 1 event/tx", singles(generate(plan.singles, seed + 1))),
        ("append batch 100", _full(seed + 2, 100, plan.batches_of_100)),
        ("append batch 1000", _full(seed + 3, 1000, plan.batches_of_1000)),
    ]
    rows: list[Row] = []
    for metric, batches in modes:
        rows.extend(throughput_rows(targets, n, metric, drive(targets, batches)))
    return rows


def _full(seed: int, size: int, count: int) -> Iterator[Batch]:
    # Generous upper bound: the generator is lazy and stops once ``count`` batches are full.
    return full_batches(generate(size * count * 50, seed), size, count)


def throughput_rows(targets: list[Target], n: int, metric: str, timing: Timing) -> list[Row]:
    """One events/s row per backend, with the peer's figure beside ours."""
    return [
        Row(
            backend=t.backend,
            events=n,
            metric=metric,
            value=timing.events / timing.seconds[(t.backend, "ours")],
            unit="events/s",
            peer=t.peer.name,
            peer_value=timing.events / timing.seconds[(t.backend, "peer")],
        )
        for t in targets
    ]
