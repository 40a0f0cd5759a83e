"""Projections: pure folds of the log into read models, and the checkpointed runner.

``relationship`` (the fold of one pair stream and the views derived from it) is pure (which
active event a new fact reports again is the write side's, ``tracker.decisions.matching``);
``tables`` declares ``view_rows``; ``runner`` is the only
impure module (batches of the log into ``view_rows``, with the checkpoint, in one transaction);
``recorder`` is the protocol the runner writes through (``sql`` implements it on the SQL store,
``memory`` beside the in-memory store);
``queries`` is the API the CLI and the exports call; ``model`` is the read-model contract.
"""

from tracker.projections import memory as memory  # registers the in-memory view recorder
from tracker.projections import sql as sql  # registers the SQL store's view recorder
