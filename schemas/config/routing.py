"""Declarative routing: ordered rules of conditions on lead fields."""

from enum import StrEnum
from typing import Literal

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


MatchKey = Literal["external_id", "email", "phone"]


def _match_keys() -> list[MatchKey]:
    return ["external_id", "email", "phone"]


class Dedupe(Settings):
    window_days: float = Field(default=30, gt=0)
    match_on: list[MatchKey] = Field(default_factory=_match_keys)
    replay_memory_hours: float = Field(
        default=24,
        gt=0,
        description="How long an intake position is remembered, so a message "
        "redelivered after a crash repeats its first outcome",
    )


def _free_mail() -> list[str]:
    return [
        "gmail.com",
        "googlemail.com",
        "yahoo.com",
        "hotmail.com",
        "outlook.com",
        "live.com",
        "aol.com",
        "icloud.com",
        "gmx.com",
        "proton.me",
        "protonmail.com",
        "mail.com",
        "yandex.com",
    ]


def _junk_names() -> list[str]:
    return ["test", "asdf", "qwerty", "xxx", "n/a", "na", "none", "fake", "abc"]


class Quarantine(Settings):
    """Valid but questionable leads go to the quarantine pool for ops review."""

    expected_fields: list[str] = Field(
        default_factory=lambda: ["company"],
        description="Optional fields whose absence makes a lead questionable",
    )
    free_mail_domains: list[str] = Field(default_factory=_free_mail)
    enterprise_products: list[str] = Field(
        default_factory=lambda: ["Enterprise Platform"],
        description="Product interests that make a form an enterprise form",
    )
    junk_names: list[str] = Field(default_factory=_junk_names)
    junk_name_pattern: str = Field(
        default=r"^(.)\1{2,}$|\d|^[^aeiouy]{5,}$",
        description="A first or last name matching this (any case) looks junk",
    )


class AccountDelivery(StrEnum):
    REP = "rep"  # straight to the owning rep
    TEAM_POOL = "team_pool"  # into the owning rep's team pool


class KnownAccount(Settings):
    """An account a rep already owns: its leads skip the open pool."""

    name: str = Field(min_length=1)
    owner_rep: str = Field(min_length=1, description="User id of the owner")
    domains: list[str] = Field(default_factory=list, description="Email domains")
    companies: list[str] = Field(default_factory=list, description="Company names")
    deliver: AccountDelivery = AccountDelivery.REP
    pool: str | None = Field(
        default=None, description="Team pool for team_pool; else the placed pool"
    )

    @model_validator(mode="after")
    def _matchable(self) -> "KnownAccount":
        if not self.domains and not self.companies:
            raise ValueError("an account needs at least one domain or company")
        if self.deliver is AccountDelivery.TEAM_POOL and self.pool is None:
            raise ValueError("deliver 'team_pool' needs a pool")
        return self


class IntakeSource(Settings):
    """A marketing system allowed to post to the webhook with its own key."""

    name: str = Field(min_length=1)
    api_key_sha256: list[str] = Field(
        default_factory=list, description="SHA-256 hex of the source's API keys"
    )
    required_fields: list[str] = Field(
        default_factory=list, description="Fields this source must always send"
    )


class Webhook(Settings):
    max_batch: int = Field(default=1000, ge=1, description="Leads per request")


class PoolIntake(Settings):
    """How the router follows hygiene's intake commands for a pool."""

    audit_pause_hours: float = Field(
        default=24,
        gt=0,
        description="How long an audit without an end keeps new leads out of a "
        "pool; hygiene repeats it each day the pool's conversion stays low",
    )
    max_score_shift: int = Field(
        default=30,
        ge=0,
        le=100,
        description="Bound on the sum of intake adjustments to a pool's score "
        "threshold, either way",
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
    quarantine: Quarantine = Quarantine()
    accounts: list[KnownAccount] = Field(default_factory=list)
    sources: list[IntakeSource] = Field(default_factory=list)
    webhook: Webhook = Webhook()
    pool_intake: PoolIntake = PoolIntake()

    def required_for(self, source: str) -> list[str]:
        listed = [s.required_fields for s in self.sources if s.name == source]
        return [*self.required_fields.get(source, []), *(f for r in listed for f in r)]


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
