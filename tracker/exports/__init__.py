"""Exports: one module per format, each a pure function of a ``Report`` (read models in,
text or bytes out), plus the raw-log backup (``log``)."""
