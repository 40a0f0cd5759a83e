"""The state a decision on a relationship stream reads, and the fold that advances it.

The state is the pure pair fold (``PairState``/``apply``) the views share; ``decision_state``
reads only the stored entries a decision needs, plus the few events appended since.
"""

from __future__ import annotations

from tracker.projections.pairs import PAIR_PREFIX, pair_of_stream, pair_stream
from tracker.projections.relationship import PairState, apply, source_key, source_of
from tracker.projections.runner import decision_state

__all__ = [
    "PAIR_PREFIX",
    "PairState",
    "apply",
    "decision_state",
    "pair_of_stream",
    "pair_stream",
    "source_key",
    "source_of",
]
