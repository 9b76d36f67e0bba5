"""Hygiene's HTTP API: the review queue, ops decisions, locks, restores.

Every route but /health needs a bearer token; every action is checked
against the permission matrix for the pool it concerns.
"""

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from aiohttp import web
from pydantic import Field

from schemas.base import Contract
from schemas.commands import Action, HygieneCommand
from schemas.config.access import Permission, User
from schemas.runs import CleanupRunRecord, CleanupSchedule
from services.common.auth import request_user
from services.common.clock import Clock
from services.common.http import Problem, json_response, read_body
from services.common.live_config import LiveConfig
from services.hygiene.access import may
from services.hygiene.book import LeadRecord
from services.hygiene.event_log import Books
from services.hygiene.ops_log import OpsLog
from services.hygiene.review import ReviewDecision, decision_command, entry, in_review
from services.hygiene.run_log import RunLog

Send = Callable[[HygieneCommand], Awaitable[None]]


class LockRequest(Contract):
    locked: bool
    note: str = Field(default="", max_length=500)


class HygieneApi:
    def __init__(
        self,
        live: LiveConfig,
        books: Books,
        ops: OpsLog,
        send: Send,
        clock: Clock,
        runs: RunLog,
    ) -> None:
        self.live = live
        self.books = books
        self.ops = ops
        self.send = send
        self.clock = clock
        self.runs = runs

    def routes(self, app: web.Application) -> None:
        app.router.add_get("/review", self.list_review)
        app.router.add_post("/review/{lead_id}", self.decide)
        app.router.add_post("/leads/{lead_id}/lock", self.lock)
        app.router.add_post("/reps/{rep_id}/fast-lane", self.restore_fast_lane)
        app.router.add_get("/cleanup/runs", self.cleanup_runs)

    async def list_review(self, request: web.Request) -> web.Response:
        user, config = request_user(request), self.live.current
        pool = request.query.get("pool")
        records = [
            r for b in self.books.by_partition.values() for r in b.leads.values()
        ]
        waiting = [
            entry(r)
            for r in in_review(records, self.ops)
            if (pool is None or r.pool == pool)
            and may(config, user, r.pool, Permission.VIEW)
        ]
        return json_response({"count": len(waiting), "leads": waiting})

    async def decide(self, request: web.Request) -> web.Response:
        body = await read_body(request, ReviewDecision)
        record = self._lead(request.match_info["lead_id"])
        config = self.live.current
        self._require(request_user(request), record.pool, Permission.MANAGE)
        if record not in in_review([record], self.ops):
            raise Problem(
                409, "Not in review", f"lead {record.lead_id!r} is not in the queue"
            )
        if body.pool is not None and body.pool not in config.pool_names:
            raise Problem(422, "Invalid request body", f"pool: unknown {body.pool!r}")
        command = decision_command(
            record, body, request_user(request).id, config, self._now()
        )
        await self._issue(command)
        return json_response(command, status=202)

    async def lock(self, request: web.Request) -> web.Response:
        body = await read_body(request, LockRequest)
        record = self._lead(request.match_info["lead_id"])
        user = request_user(request)
        self._require(user, record.pool, Permission.MANAGE)
        now = self._now()
        action = Action.LOCK if body.locked else Action.UNLOCK
        command = HygieneCommand(
            command_id=f"{action.value}:{record.lead_id}:{now:%s%f}",
            action=action,
            policy="manager.lock",
            figures={"by": user.id},
            issued_at=now,
            config_version=self.live.current.version,
            lead_id=record.lead_id,
            pool=record.pool,
            message=body.note or None,
        )
        await self._issue(command)
        return json_response(command, status=202)

    async def restore_fast_lane(self, request: web.Request) -> web.Response:
        config, user = self.live.current, request_user(request)
        rep_id = request.match_info["rep_id"]
        try:
            rep = config.user(rep_id)
        except KeyError as err:
            raise Problem(404, "Not found", f"rep_id: no user {rep_id!r}") from err
        if not rep.pools or not all(
            may(config, user, pool, Permission.MANAGE) for pool in rep.pools
        ):
            raise Problem(
                403, "Forbidden", f"restoring {rep_id!r} needs manage on their pools"
            )
        now = self._now()
        command = HygieneCommand(
            command_id=f"fast-lane-restore:{rep_id}:{now:%s%f}",
            action=Action.FAST_LANE_RESTORE,
            policy="manager.fast_lane_restore",
            figures={"by": user.id},
            issued_at=now,
            config_version=config.version,
            rep_id=rep_id,
        )
        await self._issue(command)
        return json_response(command, status=202)

    async def cleanup_runs(self, request: web.Request) -> web.Response:
        """Recent runs, oldest first, with the changes in pools the caller
        may view; `?schedule=daily|weekly|monthly` keeps one schedule."""
        user, config = request_user(request), self.live.current
        visible = {
            p for p in config.pool_names if may(config, user, p, Permission.VIEW)
        }
        if not visible:
            raise Problem(403, "Forbidden", "the cleanup log needs view on a pool")
        wanted = _schedule(request.query.get("schedule"))
        runs = [
            _visible_run(record, visible)
            for record in self.runs.recent()
            if wanted is None or record.schedule is wanted
        ]
        return json_response({"runs": runs})

    def _lead(self, lead_id: str) -> LeadRecord:
        for book in self.books.by_partition.values():
            record = book.leads.get(lead_id)
            if record is not None:
                return record
        raise Problem(404, "Not found", f"lead_id: no lead {lead_id!r} known here")

    def _require(self, user: User, pool: str, permission: Permission) -> None:
        if not may(self.live.current, user, pool, permission):
            raise Problem(
                403,
                "Forbidden",
                f"user {user.id!r} lacks {permission.value} on pool {pool!r}",
                permission=permission.value,
                pool=pool,
            )

    async def _issue(self, command: HygieneCommand) -> None:
        # send() folds it at once here; other workers read it back from Kafka.
        await self.send(command)

    def _now(self) -> datetime:
        return self.clock.now()


def _schedule(value: str | None) -> CleanupSchedule | None:
    if value is None:
        return None
    try:
        return CleanupSchedule(value)
    except ValueError:
        choices = ", ".join(s.value for s in CleanupSchedule)
        raise Problem(
            422, "Invalid query", f"schedule: {value!r} is not one of {choices}"
        ) from None


def _visible_run(record: CleanupRunRecord, pools: set[str]) -> dict[str, Any]:
    changes = {
        policy: [c for c in found if c.pool is None or c.pool in pools]
        for policy, found in record.changes.items()
    }
    shown = record.model_copy(
        update={"changes": {p: c for p, c in changes.items() if c}}
    )
    return shown.model_dump(mode="json") | {"changed": shown.counts()}
