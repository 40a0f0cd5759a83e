"""Feed ingestion: retrieve (``fetch``), parse (``parse``), decide (``decide``, pure), store
(``recorder``: the ``FeedStates`` protocol for feed state and leases; ``state``: it on the SQL
store; ``memory``: beside the in-memory store; ``tables``: ``feed_state``), and the pipeline
that runs them (``poll``).

Library entry points: ``tracker.feeds.poll.poll_feeds`` and ``tracker.feeds.poll.feed_health``.
"""

from tracker.feeds import memory as memory  # registers the in-memory store's feed states
from tracker.feeds import state as state  # registers the SQL store's feed states
