"""Applying hygiene's commands to lead state; the claims service owns it.

Every state-changing command is applied at most once by `command_id` and
publishes its event through the outbox; notifications are logged.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, cast

import redis.asyncio as aioredis
from pydantic import ValidationError

from schemas.commands import REVIEW_POLICY, Action, HygieneCommand
from schemas.config import LeadpoolConfig
from schemas.events import Removal, ReturnReason
from services.claims.claiming import Claimed
from services.claims.inventory import Inventory
from services.claims.keys import Keys
from services.claims.lifecycle import Done, Lifecycle, Rejected
from services.claims.roundrobin import RoundRobin
from services.common.clock import Clock, to_ms

log = logging.getLogger(__name__)

# Pool modes a SET_POOL_MODE command may set; 'claim' restores the default.
POOL_MODES = {"claim", "auto_assign", "expand_access", "outsource", "pause_intake"}


@dataclass(frozen=True)
class CommandApplier:
    redis: "aioredis.Redis"
    keys: Keys
    inventory: Inventory
    lifecycle: Lifecycle
    round_robin: RoundRobin
    clock: Clock

    async def apply(self, config: LeadpoolConfig, command: HygieneCommand) -> bool:
        """Apply one command; False when it changed nothing (or was a replay)."""
        problem = missing_fields(command) or unknown_pools(config, command)
        if problem:
            log.error(
                "hygiene command refused: %s",
                problem,
                extra={"command_id": command.command_id, "action": command.action},
            )
            return False
        changed = await self._apply(config, command)
        log.info(
            "hygiene command applied" if changed else "hygiene command changed nothing",
            extra={
                "command_id": command.command_id,
                "action": command.action.value,
                "lead_id": command.lead_id,
                "policy": command.policy,
            },
        )
        return changed

    async def _apply(self, config: LeadpoolConfig, command: HygieneCommand) -> bool:
        now = self.clock.now()
        lead_id = command.lead_id or ""
        match command.action:
            case Action.ESCALATE:
                return await self.inventory.escalate(command)
            case Action.RETURN:
                result = await self.lifecycle.give_back(
                    config,
                    lead_id,
                    now,
                    reason=ReturnReason.SLA_EXPIRED,
                    rep_id=command.rep_id,
                    note=command.message or command.policy,
                    command_id=command.command_id,
                )
            case Action.REMOVE:
                return await self._remove(config, command)
            case Action.MOVE:
                result = await self.lifecycle.move(
                    config,
                    lead_id,
                    command.target_pool or "",
                    now,
                    policy=command.policy,
                    command_id=command.command_id,
                )
            case Action.REINSTATE:
                return await self._reinstate(config, command)
            case Action.AUTO_ASSIGN:
                return await self._auto_assign(config, command)
            case Action.PENALISE:
                return await self._penalise(config, command)
            case Action.FAST_LANE_OUT | Action.FAST_LANE_RESTORE:
                return await self._fast_lane(command)
            case Action.SET_POOL_MODE:
                if not await self._first_time(command):
                    return False
                await self.lifecycle.set_pool_mode(
                    command.pool or "", command.mode or ""
                )
                return True
            case Action.OPEN_TERRITORY:
                return await self._open_territory(command)
            case _:
                # FLAG, ALERT and REMIND change no state: managers and reps
                # read them from this log. Source pauses, intake thresholds
                # and audits are the router's.
                return False
        return isinstance(result, Done)

    async def _auto_assign(
        self, config: LeadpoolConfig, command: HygieneCommand
    ) -> bool:
        if not await self._first_time(command):
            return False
        lead = await self.inventory.lead(command.lead_id or "")
        pool = command.pool or lead.get("pool", "")
        if not pool:
            return False
        holder = lead.get("rep") if lead.get("state") == "claimed" else None
        if command.rep_id and holder == command.rep_id:
            # An SLA's reassign step: the lead leaves the rep who let it
            # lapse (their return cooldown keeps it from coming straight back).
            await self.lifecycle.give_back(
                config,
                command.lead_id or "",
                self.clock.now(),
                reason=ReturnReason.SLA_EXPIRED,
                rep_id=command.rep_id,
                note=command.message or command.policy,
            )
        outcome = await self.round_robin.assign(
            config, pool, self.clock.now(), command.policy, lead_id=command.lead_id
        )
        if not isinstance(outcome, Claimed):
            log.warning(
                "auto-assignment found no rep; the lead stays in its pool",
                extra={"lead_id": command.lead_id, "rule": outcome.rule},
            )
        return isinstance(outcome, Claimed)

    async def _remove(self, config: LeadpoolConfig, command: HygieneCommand) -> bool:
        result = await self.lifecycle.remove(
            config,
            command.lead_id or "",
            self.clock.now(),
            destination=command.destination or Removal.REVIEW,
            policy=command.policy,
            reason=command.message or command.policy,
            command_id=command.command_id,
            decides_review=command.policy.startswith(REVIEW_POLICY),
        )
        if isinstance(result, Rejected) and result.rule == "in_review":
            # Expected when a removal decided before the stale review is read
            # after it: the lead stays in the queue for ops to decide.
            log.info(
                "removal ignored: the lead waits in review for ops' decision",
                extra={
                    "command_id": command.command_id,
                    "lead_id": command.lead_id,
                    "policy": command.policy,
                    "destination": command.destination,
                },
            )
        return isinstance(result, Done)

    async def _reinstate(self, config: LeadpoolConfig, command: HygieneCommand) -> bool:
        fixes = {
            name.removeprefix("fix."): str(value)
            for name, value in command.figures.items()
            if name.startswith("fix.")
        }
        lead_id = command.lead_id or ""
        # Without a pool named, the lead goes back where it was.
        pool = command.target_pool or command.pool
        pool = pool or (await self.inventory.lead(lead_id)).get("pool", "")
        if pool not in config.pool_names:
            log.error("reinstatement refused: no pool", extra={"lead_id": lead_id})
            return False
        try:
            result = await self.lifecycle.reinstate(
                config,
                lead_id,
                pool,
                self.clock.now(),
                policy=command.policy,
                fixes=fixes,
                command_id=command.command_id,
            )
        except ValidationError as err:
            log.error(
                "reinstatement refused: the fixes leave an invalid lead",
                extra={"lead_id": command.lead_id, "errors": err.errors()},
            )
            return False
        return isinstance(result, Done)

    async def _penalise(self, config: LeadpoolConfig, command: HygieneCommand) -> bool:
        if not await self._first_time(command):
            return False
        rules = config.slas.penalties
        until = command.until or command.issued_at + timedelta(days=rules.window_days)
        until_ms = to_ms(until)
        penalty: dict[str, int] = {
            "penalty_quota": rules.daily_quota_reduction,
            "penalty_until_ms": until_ms,
        }
        if rules.suspend_pool_access:
            penalty["suspended_until_ms"] = until_ms
        await self.redis.hset(
            self.keys.rep_state(command.rep_id or ""), mapping=cast(Any, penalty)
        )
        log.warning(
            "rep penalised for missed contact deadlines",
            extra={"rep_id": command.rep_id, "until": until.isoformat(), **penalty},
        )
        return True

    async def _open_territory(self, command: HygieneCommand) -> bool:
        # Only the end is stored: the claim step compares it with its own
        # now, so the opening closes by itself, with no command to undo it.
        if not await self._first_time(command):
            return False
        pool, until = command.pool or "", command.until or command.issued_at
        ends = await self.lifecycle.open_territory(pool, until)
        log.info(
            "territory opened to reps of other territories",
            extra={"pool": pool, "until": ends.isoformat(), "policy": command.policy},
        )
        return True

    async def _fast_lane(self, command: HygieneCommand) -> bool:
        rep_id = command.rep_id or ""
        if command.action is Action.FAST_LANE_OUT:
            return bool(await self.redis.sadd(self.keys.fast_lane_out, rep_id))
        return bool(await self.redis.srem(self.keys.fast_lane_out, rep_id))

    async def _first_time(self, command: HygieneCommand) -> bool:
        added = await self.redis.zadd(
            self.keys.applied_commands,
            {command.command_id: to_ms(self.clock.now())},
            nx=True,
        )
        return bool(added)


def unknown_pools(config: LeadpoolConfig, command: HygieneCommand) -> str | None:
    for field in ("pool", "target_pool"):
        name = getattr(command, field)
        if name is not None and name not in config.pool_names:
            return f"{field}: unknown pool {name!r}"
    return None


def missing_fields(command: HygieneCommand) -> str | None:
    """Why a command cannot be applied as sent, naming the field; else None."""
    needs = {
        Action.ESCALATE: ["lead_id", "top_pct"],
        Action.RETURN: ["lead_id"],
        Action.REMOVE: ["lead_id"],
        Action.MOVE: ["lead_id", "target_pool"],
        Action.AUTO_ASSIGN: ["lead_id"],
        Action.SET_POOL_MODE: ["pool", "mode"],
        Action.REINSTATE: ["lead_id"],
        Action.PENALISE: ["rep_id"],
        Action.FAST_LANE_OUT: ["rep_id"],
        Action.FAST_LANE_RESTORE: ["rep_id"],
        Action.OPEN_TERRITORY: ["pool", "until"],
    }.get(command.action, [])
    for field in needs:
        if getattr(command, field) is None:
            return f"{field}: required for {command.action.value}"
    if command.action is Action.SET_POOL_MODE and command.mode not in POOL_MODES:
        return f"mode: must be one of {sorted(POOL_MODES)}"
    return None
