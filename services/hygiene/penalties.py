"""Penalties for missed contact deadlines, decided over every rep's misses."""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta

from schemas.commands import Action, HygieneCommand
from schemas.config import LeadpoolConfig
from services.hygiene.book import Miss


def penalty_commands(
    misses: Iterable[Miss],
    config: LeadpoolConfig,
    now: datetime,
    restored_at: Mapping[str, datetime],
) -> list[HygieneCommand]:
    """Quota cuts for repeated misses; fast-lane removal for hot-lead misses.

    A command's id names the miss that crossed the threshold, so deciding
    again over the same misses sends the same ids (claims ignores them).
    """
    rules = config.slas.penalties
    window_start = now - timedelta(days=rules.window_days)
    by_rep: dict[str, list[Miss]] = defaultdict(list)
    for miss in misses:
        by_rep[miss.rep_id].append(miss)

    commands: list[HygieneCommand] = []
    for rep_id, rep_misses in sorted(by_rep.items()):
        ordered = sorted(rep_misses, key=lambda m: m.deadline)
        recent = [m for m in ordered if m.deadline >= window_start]
        if len(recent) >= rules.misses_before_penalty:
            crossing = recent[rules.misses_before_penalty - 1]
            commands.append(_penalise(rep_id, crossing, len(recent), config, now))

        restored = restored_at.get(rep_id)
        fast = [
            m
            for m in ordered
            if m.fast_lane and (not restored or m.deadline > restored)
        ]
        if len(fast) >= rules.fast_lane_misses_before_removal:
            crossing = fast[rules.fast_lane_misses_before_removal - 1]
            commands.append(_fast_lane_out(rep_id, crossing, len(fast), config, now))
    return commands


def _penalise(
    rep_id: str, crossing: Miss, count: int, config: LeadpoolConfig, now: datetime
) -> HygieneCommand:
    rules = config.slas.penalties
    return HygieneCommand(
        command_id=f"penalty:{rep_id}:{crossing.lead_id}:{crossing.deadline:%s}",
        action=Action.PENALISE,
        policy="slas.penalties",
        figures={
            "misses_in_window": count,
            "window_days": rules.window_days,
            "misses_before_penalty": rules.misses_before_penalty,
            "daily_quota_reduction": rules.daily_quota_reduction,
            "suspend_pool_access": str(rules.suspend_pool_access).lower(),
        },
        issued_at=now,
        config_version=config.version,
        rep_id=rep_id,
        lead_id=crossing.lead_id,
        # The penalty lasts one counting window from the miss that crossed.
        until=crossing.deadline + timedelta(days=rules.window_days),
        message=f"{count} contact deadlines missed in {rules.window_days:g} days",
    )


def _fast_lane_out(
    rep_id: str, crossing: Miss, count: int, config: LeadpoolConfig, now: datetime
) -> HygieneCommand:
    limit = config.slas.penalties.fast_lane_misses_before_removal
    return HygieneCommand(
        command_id=f"fast-lane-out:{rep_id}:{crossing.lead_id}:{crossing.deadline:%s}",
        action=Action.FAST_LANE_OUT,
        policy="slas.penalties.fast_lane",
        figures={"fast_lane_misses": count, "misses_before_removal": limit},
        issued_at=now,
        config_version=config.version,
        rep_id=rep_id,
        lead_id=crossing.lead_id,
        message="hot-lead SLA missed repeatedly; out of the fast lane until restored",
    )
