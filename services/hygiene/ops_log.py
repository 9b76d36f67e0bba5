"""What managers and ops told hygiene, read back from `hygiene.actions`.

Locks, fast-lane restores and review decisions are commands like any
other; every worker folds them, so this state too is rebuilt from Kafka.
"""

from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime

from schemas.commands import REVIEW_POLICY, Action, HygieneCommand

OVERFLOW_POLICY = "overflow"  # the policy name overflow commands carry
# Overflow commands that put a pool into (True) or out of (False) overflow.
_OVERFLOW_STEP = {
    Action.PAUSE_SOURCE: True,
    Action.MOVE: True,
    Action.RESUME_SOURCE: False,
}
REMEMBERED_IDS = 200_000  # recent command ids, so a decision is sent once


@dataclass
class OpsLog:
    locks: set[str] = field(default_factory=set)
    restored_at: dict[str, datetime] = field(default_factory=dict)
    decided: dict[str, HygieneCommand] = field(default_factory=dict)
    overflowing: set[str] = field(default_factory=set)
    sent: OrderedDict[str, None] = field(default_factory=OrderedDict)

    def already_sent(self, command_id: str) -> bool:
        return command_id in self.sent

    def fold(self, command: HygieneCommand) -> None:
        self.sent[command.command_id] = None
        if len(self.sent) > REMEMBERED_IDS:
            self.sent.popitem(last=False)
        match command.action:
            case Action.LOCK if command.lead_id:
                self.locks.add(command.lead_id)
            case Action.UNLOCK if command.lead_id:
                self.locks.discard(command.lead_id)
            case Action.FAST_LANE_RESTORE if command.rep_id:
                self.restored_at[command.rep_id] = command.issued_at
            case _ if command.policy == OVERFLOW_POLICY and command.pool:
                self._fold_overflow(command, command.pool)
            case _ if command.policy.startswith(REVIEW_POLICY) and command.lead_id:
                self.decided[command.lead_id] = command

    def _fold_overflow(self, command: HygieneCommand, pool: str) -> None:
        # Kept so that a new leader knows which pools wait to drain.
        if command.action is Action.SET_POOL_MODE:
            entering = command.mode != "claim"
        else:
            entering = _OVERFLOW_STEP.get(command.action, pool in self.overflowing)
        if entering:
            self.overflowing.add(pool)
        else:
            self.overflowing.discard(pool)
