"""Measuring the extractor and the corroboration against annotated sets (reads files)."""
