"""Feed ingestion: retrieve (``fetch``), parse (``parse``), decide (``decide``, pure), store
(``state``: the ``feed_state`` table and leases), and the pipeline that runs them (``poll``).

Library entry points: ``tracker.feeds.poll.poll_feeds`` and ``tracker.feeds.poll.feed_health``.
"""
