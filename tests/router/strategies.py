"""Hypothesis strategies for intake messages: arbitrary JSON and near-leads."""

import json
from typing import Any

from hypothesis import strategies as st

from tests.router.support import intake

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
# Whatever a producer may put on the intake topic.
messages = st.one_of(
    documents.map(lambda d: json.dumps(d).encode()),
    leadlike.map(lambda d: json.dumps(d).encode()),
    st.binary(),
)
