"""One module per event type: its triggers or readers, and what is special about it.

The registry (``tracker.extraction.registry``) lists them in the order they run.
"""
