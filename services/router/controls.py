"""What hygiene changed about intake, as one snapshot for a batch.

Sources can be paused (their leads held), pools audited (no new leads
enter them: their rules are skipped) and a pool's score threshold moved
(the lower score bounds of its rules shift by that many points).
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class IntakeControls:
    paused_sources: frozenset[str] = frozenset()
    audited_pools: frozenset[str] = frozenset()
    # Built fresh for each batch and never changed after.
    score_shift: dict[str, int] = field(default_factory=dict)


NO_CONTROLS = IntakeControls()
