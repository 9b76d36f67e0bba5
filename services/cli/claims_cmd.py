"""`leadpool claims`: the claims service's actions for ops, over its HTTP API."""

import json
from typing import Any

import click
import httpx


class Api:
    def __init__(self, url: str, token: str) -> None:
        self.url = url
        self.headers = {"Authorization": f"Bearer {token}"}

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        try:
            answer = httpx.request(
                method, f"{self.url}{path}", headers=self.headers, json=body, timeout=10
            )
        except httpx.HTTPError as err:
            raise click.ClickException(f"claims service at {self.url}: {err}") from err
        payload = answer.json()
        if answer.status_code >= 400:
            raise click.ClickException(_problem(payload))
        return payload


def _problem(problem: dict[str, Any]) -> str:
    text = f"{problem.get('status')} {problem.get('title')}: {problem.get('detail')}"
    for error in problem.get("errors") or []:
        text += f"\n  {error['field']}: {error['reason']}"
    return text


def _show(payload: Any) -> None:
    click.echo(json.dumps(payload, indent=2, sort_keys=True))


@click.group()
@click.option(
    "--url",
    default="http://127.0.0.1:8082",
    envvar="LEADPOOL_CLAIMS_URL",
    show_default=True,
)
@click.option("--token", envvar="LEADPOOL_TOKEN", required=True, help="API token")
@click.pass_context
def claims(ctx: click.Context, url: str, token: str) -> None:
    """Pools, leads, claims, transfers and assignments."""
    ctx.obj = Api(url, token)


@claims.command("pools")
@click.pass_obj
def pools(api: Api) -> None:
    """Pools you may view, with depth and mode."""
    for pool in api.call("GET", "/pools"):
        click.echo(
            f"{pool['name']:<12} {pool['quality']:<6} depth {pool['depth']:>6}"
            f"  mode {pool['mode']}"
        )


@claims.command("leads")
@click.argument("pool")
@click.option("--limit", default=20, show_default=True)
@click.pass_obj
def leads(api: Api, pool: str, limit: int) -> None:
    """The best available leads of POOL."""
    for lead in api.call("GET", f"/pools/{pool}/leads?limit={limit}"):
        click.echo(f"{lead['lead_id']}  priority {lead['priority']:.1f}")


@claims.command("claim")
@click.argument("lead_id")
@click.pass_obj
def claim(api: Api, lead_id: str) -> None:
    """Claim LEAD_ID; a refusal names the rule, count, limit and reset."""
    _show(api.call("POST", f"/leads/{lead_id}/claim"))


@claims.command("next")
@click.argument("pool")
@click.option("--count", default=1, show_default=True, help="A batch (blind pull)")
@click.pass_obj
def claim_next(api: Api, pool: str, count: int) -> None:
    """Claim the best available lead of POOL (or COUNT of them)."""
    _show(api.call("POST", f"/pools/{pool}/claim", {"count": count}))


@claims.command("contact")
@click.argument("lead_id")
@click.option("--channel", help="phone, email, ...")
@click.pass_obj
def contact(api: Api, lead_id: str, channel: str | None) -> None:
    """Log the first contact with LEAD_ID."""
    _show(api.call("POST", f"/leads/{lead_id}/contact", {"channel": channel}))


@claims.command("outcome")
@click.argument("lead_id")
@click.argument(
    "outcome", type=click.Choice(["opportunity", "closed_won", "closed_lost"])
)
@click.option("--deal-size", type=float, help="The deal's value, when won")
@click.pass_obj
def outcome(api: Api, lead_id: str, outcome: str, deal_size: float | None) -> None:
    """Record an outcome for LEAD_ID."""
    body = {"outcome": outcome, "deal_size": deal_size}
    _show(api.call("POST", f"/leads/{lead_id}/outcome", body))


@claims.command("presence")
@click.argument("state", type=click.Choice(["away", "back"]))
@click.pass_obj
def presence(api: Api, state: str) -> None:
    """Mark yourself away (no claims, no assignments) or back."""
    _show(api.call("PUT", "/me/presence", {"away": state == "away"}))


@claims.command("why-not")
@click.argument("lead_id", required=False)
@click.option("--pool", help="The next lead of this pool instead of one lead")
@click.option("--rep", help="Ask for another rep (manage permission)")
@click.pass_obj
def why_not(api: Api, lead_id: str | None, pool: str | None, rep: str | None) -> None:
    """Every rule the claim of LEAD_ID (or POOL's next lead) meets."""
    if (lead_id is None) == (pool is None):
        raise click.UsageError("name a LEAD_ID or a --pool, not both")
    query = f"?rep={rep}" if rep else ""
    where = f"/leads/{lead_id}" if lead_id else f"/pools/{pool}"
    answer = api.call("GET", f"{where}/why-not{query}")
    for rule in answer["rules"]:
        mark = "ok  " if rule["passed"] else "FAIL"
        reset = f", resets {rule['resets_at']}" if rule["resets_at"] else ""
        click.echo(f"{mark} {rule['rule']}: {rule['count']} of {rule['limit']}{reset}")


@claims.command("return")
@click.argument("lead_id")
@click.option("--reason", required=True)
@click.pass_obj
def give_back(api: Api, lead_id: str, reason: str) -> None:
    """Give LEAD_ID back to its pool."""
    _show(api.call("POST", f"/leads/{lead_id}/return", {"reason": reason}))


@claims.command("transfer")
@click.argument("lead_id")
@click.option("--to", "to_pool", required=True)
@click.option("--reason", required=True)
@click.pass_obj
def transfer(api: Api, lead_id: str, to_pool: str, reason: str) -> None:
    """Request a transfer of LEAD_ID to another pool."""
    body = {"to_pool": to_pool, "reason": reason}
    _show(api.call("POST", f"/leads/{lead_id}/transfers", body))


@claims.command("transfers")
@click.pass_obj
def transfers(api: Api) -> None:
    """Pending transfers you may decide."""
    for item in api.call("GET", "/transfers"):
        click.echo(
            f"{item['transfer_id']}  {item['lead_id']}: {item['from_pool']} -> "
            f"{item['to_pool']} by {item['requested_by']}: {item['reason']}"
        )


@claims.command("decide")
@click.argument("transfer_id")
@click.option("--approve/--reject", required=True)
@click.option("--note")
@click.pass_obj
def decide(api: Api, transfer_id: str, approve: bool, note: str | None) -> None:
    """Approve or reject a transfer request."""
    body = {"approved": approve, "note": note}
    _show(api.call("POST", f"/transfers/{transfer_id}/decision", body))


@claims.command("assign")
@click.argument("pool")
@click.option("--lead", "lead_id", help="A given lead; default: the best one")
@click.option("--reason", default="forced", show_default=True)
@click.pass_obj
def assign(api: Api, pool: str, lead_id: str | None, reason: str) -> None:
    """Assign a lead of POOL round robin."""
    body = {"lead_id": lead_id, "reason": reason}
    _show(api.call("POST", f"/pools/{pool}/assign", body))


@claims.command("limits")
@click.pass_obj
def limits(api: Api) -> None:
    """Your remaining claim limits."""
    for limit in api.call("GET", "/me/limits")["limits"]:
        reset = f", resets {limit['resets_at']}" if limit["resets_at"] else ""
        click.echo(f"{limit['rule']}: {limit['used']} of {limit['limit']}{reset}")
