"""Commands hygiene sends on `hygiene.actions`; the claims service applies them.

Hygiene decides, claims owns lead state: a command carries the policy and
the figures that triggered it, so a manager can read why it happened.
"""

from enum import StrEnum

from pydantic import Field

from schemas.base import AwareDatetime, Contract
from schemas.events import Removal

# The policy prefix of ops' decisions on the review queue (review.archive,
# review.fix_and_return...): only these take a lead out of review.
REVIEW_POLICY = "review."


class Action(StrEnum):
    ESCALATE = "escalate"  # raise priority within the pool
    FLAG = "flag"  # manager review flag, no state change
    ALERT = "alert"  # notify a manager
    AUTO_ASSIGN = "auto_assign"  # round robin to an eligible rep
    RETURN = "return"  # recall a claimed lead (SLA)
    REMOVE = "remove"  # out of the active pool
    MOVE = "move"  # to another pool (rebalancing)
    SET_POOL_MODE = "set_pool_mode"  # overflow, widened access
    PAUSE_SOURCE = "pause_source"
    RESUME_SOURCE = "resume_source"
    REMIND = "remind"  # tell the rep a deadline is near, no state change
    PENALISE = "penalise"  # reduce the rep's daily quota, or suspend access
    FAST_LANE_OUT = "fast_lane_out"  # no fast-lane offers until restored
    FAST_LANE_RESTORE = "fast_lane_restore"  # a manager restored the rep
    REINSTATE = "reinstate"  # data fixed in review: back to its pool, unclaimed
    ADJUST_INTAKE = "adjust_intake"  # move a pool's qualification threshold
    OPEN_TERRITORY = "open_territory"  # cross-territory claiming for a while
    AUDIT = "audit"  # pause new entries and audit the pool's quality
    LOCK = "lock"  # a manager locked the lead: never recalled by an SLA
    UNLOCK = "unlock"


class HygieneCommand(Contract):
    command_id: str = Field(min_length=1, description="Stable: replays are no-ops")
    action: Action
    policy: str = Field(description="Configuration policy that decided it")
    figures: dict[str, float | str] = Field(
        default_factory=dict, description="The measurements that triggered it"
    )
    issued_at: AwareDatetime
    config_version: str
    lead_id: str | None = None
    pool: str | None = None
    target_pool: str | None = None
    priority: float | None = None
    top_pct: float | None = Field(
        default=None, gt=0, le=100, description="Escalate into this top share"
    )
    destination: Removal | None = None
    rep_id: str | None = None
    mode: str | None = None
    source: str | None = None
    message: str | None = None
    threshold_delta: int | None = Field(
        default=None, description="ADJUST_INTAKE: score points, + shrinks intake"
    )
    until: AwareDatetime | None = Field(
        default=None, description="When a temporary change ends"
    )
    issued_by: str | None = Field(
        default=None, description="The hygiene worker that decided it"
    )
