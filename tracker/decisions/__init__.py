"""The write side's decisions: what to append given a relationship's current state.

``matching`` (pure) finds the active event a new fact reports again; ``state`` reads the state
a decision needs. ``tracker.recording`` depends on this package, never on ``tracker.projections``
(the read side); this package builds on the pure pair fold the views also use.
"""
