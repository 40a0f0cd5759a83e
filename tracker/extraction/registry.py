"""The event types the extractor knows, in the order they run: the one place to add a type.

Trigger kinds run together clause by clause (an earlier kind wins an overlapping phrase, so
calls come before meetings); the other extractors read each sentence after them (statements
need to know where events were reported). Adding a type: an event class in ``events/``, its
codes in ``events/codes.py``, a module in ``kinds/``, and a line here.
"""

from __future__ import annotations

from collections.abc import Callable

from tracker.extraction.extractor import Extractor
from tracker.extraction.kinds import (
    agreement,
    descriptor,
    joint_statement,
    meeting,
    phone_call,
    statement,
    trade_figure,
    visit,
)
from tracker.extraction.triggered import TriggeredExtractor, TriggerKind

TRIGGER_KINDS: tuple[TriggerKind, ...] = (
    phone_call.KIND,
    meeting.KIND,
    visit.KIND,
    joint_statement.KIND,
    agreement.KIND,
)


def _triggered() -> TriggeredExtractor:
    return TriggeredExtractor(TRIGGER_KINDS)


EXTRACTORS: tuple[Callable[[], Extractor], ...] = (
    _triggered,
    statement.StatementExtractor,
    trade_figure.TradeExtractor,
    descriptor.DescriptorExtractor,
)
