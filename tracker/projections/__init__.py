"""Projections: pure folds of the log into read models, and the checkpointed runner."""
