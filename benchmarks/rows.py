"""One measured figure: the row shape of ``bench`` (table and ``--json``)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    """A benchmark result, optionally beside the same measurement of a peer library."""

    backend: str
    events: int
    metric: str
    value: float
    unit: str
    peer: str | None = None
    peer_value: float | None = None

    @property
    def ratio(self) -> float | None:
        """ours / theirs for throughputs (higher is better for us), None without a peer."""
        if self.peer_value is None or not self.peer_value:
            return None
        return self.value / self.peer_value

    def as_dict(self) -> dict[str, object]:
        """The stable JSON form: backend, events, metric, value, unit, peer, peer_value, ratio."""
        ratio = self.ratio
        return {
            "backend": self.backend,
            "events": self.events,
            "metric": self.metric,
            "value": round(self.value, 3),
            "unit": self.unit,
            "peer": self.peer,
            "peer_value": None if self.peer_value is None else round(self.peer_value, 3),
            "ratio": None if ratio is None else round(ratio, 3),
        }
