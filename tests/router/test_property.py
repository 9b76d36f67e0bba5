"""Arbitrary JSON on the intake: one outcome each, never an exception."""

import base64
import json
from typing import Any

from hypothesis import given, settings

from schemas.events import HeldLead, PooledLead, RejectedLead
from services.router.decide import decide
from services.router.dedupe import merge
from tests.router.strategies import leadlike, messages
from tests.router.support import NOW, make_config, record

CONFIG = make_config()


@settings(max_examples=300, deadline=None)
@given(messages)
def test_every_message_is_pooled_or_rejected_never_an_exception(payload: bytes) -> None:
    outcome = decide(record(payload), CONFIG)

    assert isinstance(outcome, PooledLead | RejectedLead)
    assert not isinstance(outcome, HeldLead)
    if isinstance(outcome, RejectedLead):
        assert outcome.reasons
        assert original_bytes(outcome) == payload


def original_bytes(rejected: RejectedLead) -> bytes:
    if rejected.original_encoding == "base64":
        return base64.b64decode(rejected.original)
    return rejected.original.encode()


@settings(max_examples=100, deadline=None)
@given(leadlike, leadlike)
def test_a_second_copy_always_merges_into_the_first(a: Any, b: Any) -> None:
    first = decide(record(json.dumps(a).encode()), CONFIG)
    second = decide(record(json.dumps(b).encode()), CONFIG)
    if not (isinstance(first, PooledLead) and isinstance(second, PooledLead)):
        return

    folded = merge(first, second.lead, "email", CONFIG, NOW, "merge:x")

    assert folded.placement.lead.lead_id == first.lead.lead_id
    assert folded.placement.lead.score == max(first.lead.score, second.lead.score)
    assert folded.moved == (folded.placement.pool != first.pool)
