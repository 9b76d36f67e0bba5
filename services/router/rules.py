"""Evaluating declarative routing rules against a lead (no I/O, no Faust).

Rules are compiled once per routing section into predicates: field
lookups, folded options and operators are resolved before any lead.
"""

import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from schemas.config.routing import Condition, Op, Routing, Rule
from schemas.lead import Lead
from services.router.controls import NO_CONTROLS, IntakeControls
from services.router.memo import per_section

Predicate = Callable[[Any], bool]
LeadTest = Callable[[Lead, int], bool]  # the lead, its pool's score shift

_NUMERIC = (int, float)
_COMPARISONS: dict[Op, Callable[[Any, Any], Any]] = {
    Op.EQ: operator.eq,
    Op.NE: operator.ne,
    Op.GE: operator.ge,
    Op.GT: operator.gt,
    Op.LE: operator.le,
    Op.LT: operator.lt,
}
_LEAD_FIELDS = set(Lead.model_fields) - {"attributes"}


@dataclass(frozen=True)
class Placement:
    pool: str
    rule: str | None
    reason: str


@dataclass(frozen=True)
class _CompiledRule:
    tests: tuple[LeadTest, ...]
    placement: Placement


def place(
    lead: Lead, routing: Routing, controls: IntakeControls = NO_CONTROLS
) -> Placement:
    """The first rule whose conditions all hold decides; else the default.
    A rule into an audited pool is passed over; a pool's score shift moves
    the lower score bounds of its rules."""
    compiled, default = _compiled(routing)
    skipped: list[str] = []
    for rule in compiled:
        pool = rule.placement.pool
        shift = controls.score_shift.get(pool, 0)
        if not all(test(lead, shift) for test in rule.tests):
            continue
        if pool in controls.audited_pools:
            skipped.append(f"rule {rule.placement.rule!r} skipped: {pool!r} in audit")
            continue
        notes = skipped + ([f"score threshold {shift:+d} by hygiene"] if shift else [])
        return _noted(rule.placement, notes)
    return _noted(default, skipped)


def predicate(condition: Condition) -> Predicate:
    op, expected = condition.op, condition.value
    if op is Op.MISSING:
        return _blank
    if op is Op.PRESENT:
        return lambda value: not _blank(value)
    if op is Op.IN or op is Op.NOT_IN:
        return _membership(op is Op.IN, expected)
    return _comparison(_COMPARISONS[op], expected)


@per_section
def _compiled(routing: Routing) -> tuple[list[_CompiledRule], Placement]:
    rules = [
        _CompiledRule(
            tuple(_lead_test(c) for c in rule.when),
            Placement(rule.pool, rule.name, _because(rule)),
        )
        for rule in routing.rules
    ]
    default = Placement(
        routing.default_pool,
        None,
        f"no routing rule matched; default pool {routing.default_pool!r}",
    )
    return rules, default


def _lead_test(condition: Condition) -> LeadTest:
    read, check = _reader(condition.field), predicate(condition)
    if condition.field == "score" and condition.op in (Op.GE, Op.GT):
        # A qualification threshold: a raised one asks more of the score.
        return lambda lead, shift: check(lead.score - shift)
    return lambda lead, _shift: check(read(lead))


def _noted(placement: Placement, notes: list[str]) -> Placement:
    if not notes:
        return placement
    return Placement(
        placement.pool, placement.rule, f"{placement.reason} ({'; '.join(notes)})"
    )


def _reader(field: str) -> Callable[[Lead], Any]:
    if field not in _LEAD_FIELDS:
        return lambda lead: lead.attributes.get(field)
    get = operator.attrgetter(field)

    def read(lead: Lead) -> Any:
        value = get(lead)
        # Enum fields (account tier) compare by their plain value.
        return value.value if hasattr(value, "value") else value

    return read


def _blank(value: Any) -> bool:
    return value is None or value == ""


def _membership(inside: bool, options: Any) -> Predicate:
    folded = {_fold(option) for option in options}

    def check(value: Any) -> bool:
        return value is not None and (_fold(value) in folded) is inside

    return check


def _comparison(compare: Callable[[Any, Any], Any], expected: Any) -> Predicate:
    right = _fold(expected)
    right_numeric = isinstance(right, _NUMERIC)

    def check(value: Any) -> bool:
        if value is None:
            return False
        left = _fold(value)
        # A number never equals or orders against text, and vice versa.
        if isinstance(left, _NUMERIC) != right_numeric:
            return False
        try:
            return bool(compare(left, right))
        except TypeError:
            return False

    return check


def _fold(value: Any) -> Any:
    # Marketing systems disagree on case; rules should not have to.
    return value.casefold() if isinstance(value, str) else value


def _because(rule: Rule) -> str:
    terms = " and ".join(
        f"{c.field} {c.op.value}" + ("" if c.value is None else f" {c.value!r}")
        for c in rule.when
    )
    return f"rule {rule.name!r}: {terms}"
