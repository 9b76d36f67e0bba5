"""Applying hygiene's commands to lead state; the claims service owns it."""

import logging

from schemas.commands import Action, HygieneCommand
from services.claims.inventory import Inventory

log = logging.getLogger(__name__)


async def apply_command(inventory: Inventory, command: HygieneCommand) -> bool:
    """Apply one command; False when it changed nothing (or was a replay)."""
    match command.action:
        case Action.ESCALATE if command.lead_id and command.top_pct:
            return await inventory.escalate(command)
        case Action.FLAG | Action.ALERT:
            # Notifications for managers; lead state does not change.
            log.info(
                "manager notified",
                extra={
                    "action": command.action.value,
                    "lead_id": command.lead_id,
                    "policy": command.policy,
                    "figures": command.figures,
                },
            )
            return False
    # TODO: apply auto_assign, return, remove, move, pool modes and source
    # pauses; until then they are logged so that none passes unseen.
    log.warning(
        "hygiene command not applied: action not supported yet",
        extra={"action": command.action.value, "command_id": command.command_id},
    )
    return False
