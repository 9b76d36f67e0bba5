"""Evaluating declarative routing rules against a lead (no I/O, no Faust)."""

from dataclasses import dataclass
from typing import Any

from schemas.config.routing import Condition, Op, Routing, Rule
from schemas.lead import Lead


@dataclass(frozen=True)
class Placement:
    pool: str
    rule: str | None
    reason: str


def place(lead: Lead, routing: Routing) -> Placement:
    """The first rule whose conditions all hold decides; else the default."""
    for rule in routing.rules:
        if matches(rule, lead):
            return Placement(rule.pool, rule.name, _because(rule))
    return Placement(
        routing.default_pool,
        None,
        f"no routing rule matched; default pool {routing.default_pool!r}",
    )


def matches(rule: Rule, lead: Lead) -> bool:
    return all(
        holds(condition, field_value(lead, condition.field)) for condition in rule.when
    )


def field_value(lead: Lead, field: str) -> Any:
    if field in Lead.model_fields and field != "attributes":
        value = getattr(lead, field)
        return value.value if hasattr(value, "value") else value
    return lead.attributes.get(field)


def holds(condition: Condition, value: Any) -> bool:
    op, expected = condition.op, condition.value
    if op is Op.MISSING:
        return value is None or value == ""
    if op is Op.PRESENT:
        return not (value is None or value == "")
    if value is None:
        return False
    if op is Op.IN:
        return _member(value, expected)
    if op is Op.NOT_IN:
        return not _member(value, expected)
    return _compare(op, _fold(value), _fold(expected))


def _member(value: Any, options: Any) -> bool:
    return _fold(value) in {_fold(option) for option in options}


def _fold(value: Any) -> Any:
    # Marketing systems disagree on case; rules should not have to.
    return value.casefold() if isinstance(value, str) else value


def _compare(op: Op, left: Any, right: Any) -> bool:
    numeric = (int, float)
    if isinstance(left, numeric) != isinstance(right, numeric):
        return False
    try:
        match op:
            case Op.EQ:
                return bool(left == right)
            case Op.NE:
                return bool(left != right)
            case Op.GE:
                return bool(left >= right)
            case Op.GT:
                return bool(left > right)
            case Op.LE:
                return bool(left <= right)
            case Op.LT:
                return bool(left < right)
    except TypeError:
        return False
    return False


def _because(rule: Rule) -> str:
    terms = " and ".join(
        f"{c.field} {c.op.value}" + ("" if c.value is None else f" {c.value!r}")
        for c in rule.when
    )
    return f"rule {rule.name!r}: {terms}"
