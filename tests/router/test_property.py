"""Arbitrary JSON on the intake: one outcome each, never an exception."""

import base64
import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from schemas.events import HeldLead, PooledLead, RejectedLead
from services.router.decide import decide
from services.router.dedupe import merge
from tests.router.support import NOW, intake, make_config, record

CONFIG = make_config()

scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text()
documents = st.recursive(
    scalars,
    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
    max_leaves=20,
)
field_values: dict[str, Any] = {
    "source": st.sampled_from(["web", "demo_request", "", 7]) | st.text(),
    "email": st.sampled_from(["a@b.example", "A@Gmail.com", "bad"]) | st.text(),
    "score": st.integers(-10, 120) | st.text() | st.none(),
    "phone": st.sampled_from(["+14155550100", "0044 20 7946 0000"]) | st.text(),
    "country": st.sampled_from(["UK", "germany", "US", "Narnia"]) | st.text(),
    "employees": st.integers(-5, 10**6) | st.text(),
}
leadlike = st.fixed_dictionaries({}, optional=field_values).map(
    lambda fields: {**intake(), **fields}
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(documents.map(json.dumps), leadlike.map(json.dumps), st.binary()))
def test_every_message_is_pooled_or_rejected_never_an_exception(raw: Any) -> None:
    payload = raw if isinstance(raw, bytes) else raw.encode()
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
