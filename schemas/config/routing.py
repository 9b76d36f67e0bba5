"""Declarative routing: ordered rules of conditions on lead fields."""

from enum import StrEnum

from pydantic import Field, model_validator

from schemas.base import Settings


class Op(StrEnum):
    EQ = "=="
    NE = "!="
    GE = ">="
    GT = ">"
    LE = "<="
    LT = "<"
    IN = "in"
    NOT_IN = "not_in"
    MISSING = "missing"
    PRESENT = "present"


Scalar = str | int | float | bool
_LIST_OPS = {Op.IN, Op.NOT_IN}
_UNARY_OPS = {Op.MISSING, Op.PRESENT}


class Condition(Settings):
    field: str = Field(min_length=1, description="Lead field or attribute name")
    op: Op
    value: Scalar | list[Scalar] | None = None

    @model_validator(mode="after")
    def _value_fits_op(self) -> "Condition":
        if self.op in _UNARY_OPS and self.value is not None:
            raise ValueError(f"operator {self.op.value!r} takes no value")
        if self.op in _LIST_OPS and not isinstance(self.value, list):
            raise ValueError(f"operator {self.op.value!r} needs a list value")
        if self.op not in _UNARY_OPS | _LIST_OPS and (
            self.value is None or isinstance(self.value, list)
        ):
            raise ValueError(f"operator {self.op.value!r} needs a single value")
        return self


class Rule(Settings):
    """All conditions must hold (an AND); rules are tried in order."""

    name: str = Field(min_length=1)
    pool: str
    when: list[Condition] = Field(min_length=1)


class FastLane(Settings):
    score_over: int = Field(default=90, ge=0, le=100)
    offer_to_reps: int = Field(default=3, ge=1)
    accept_within_s: float = Field(default=120, gt=0)
    contact_sla_minutes: float = Field(default=30, gt=0)


class Dedupe(Settings):
    window_days: float = Field(default=30, gt=0)
    match_on: list[str] = Field(
        default_factory=lambda: ["external_id", "email", "phone"]
    )


class Routing(Settings):
    rules: list[Rule]
    default_pool: str = "cold"
    quarantine_pool: str = "quarantine"
    fast_lane: FastLane = FastLane()
    dedupe: Dedupe = Dedupe()
    required_fields: dict[str, list[str]] = Field(
        default_factory=dict, description="Extra required fields per source"
    )
    paused_sources: list[str] = Field(default_factory=list)


def seed_routing() -> Routing:
    return Routing(
        rules=[
            Rule(
                name="hot-demo-request",
                pool="hot",
                when=[
                    Condition(field="score", op=Op.GE, value=80),
                    Condition(field="source", op=Op.EQ, value="demo_request"),
                ],
            ),
            Rule(
                name="warm-mql",
                pool="warm",
                when=[
                    Condition(field="score", op=Op.GE, value=50),
                    Condition(field="status", op=Op.EQ, value="MQL"),
                ],
            ),
            Rule(
                name="cold-low-score",
                pool="cold",
                when=[Condition(field="score", op=Op.LT, value=50)],
            ),
        ]
    )
