"""`leadpool review`: the stale-lead review queue, over hygiene's HTTP API."""

from typing import Any

import click
import httpx

DECISIONS = ["archive", "nurture", "recycle", "fix_and_return"]


def _call(ctx: click.Context, method: str, path: str, **kwargs: Any) -> Any:
    options = ctx.obj
    answer = httpx.request(
        method,
        f"{options['url']}{path}",
        headers={"Authorization": f"Bearer {options['token']}"},
        timeout=10,
        **kwargs,
    )
    body = answer.json()
    if answer.status_code >= 400:
        raise click.ClickException(f"{body.get('title')}: {body.get('detail')}")
    return body


@click.group()
@click.option(
    "--hygiene",
    "url",
    default="http://127.0.0.1:8083",
    envvar="LEADPOOL_HYGIENE_URL",
    show_default=True,
)
@click.option("--token", envvar="LEADPOOL_TOKEN", required=True, help="Your API token")
@click.pass_context
def review(ctx: click.Context, url: str, token: str) -> None:
    """List stale leads waiting for review, and decide what becomes of them."""
    ctx.obj = {"url": url.rstrip("/"), "token": token}


@review.command("list")
@click.option("--pool", default=None, help="Only this pool")
@click.pass_context
def list_queue(ctx: click.Context, pool: str | None) -> None:
    """Show the leads in the review queue, oldest first."""
    params = {"pool": pool} if pool else {}
    body = _call(ctx, "GET", "/review", params=params)
    click.echo(f"{body['count']} leads in review")
    for lead in body["leads"]:
        click.echo(
            f"  {lead['lead_id']}  pool {lead['pool']}  since {lead['in_review_since']}"
            f"  score {lead['score']}  returns {lead['returns']}: {lead['reason']}"
        )


@review.command("decide")
@click.argument("lead_id")
@click.option("--decision", type=click.Choice(DECISIONS), required=True)
@click.option("--note", default="", help="Why, for the lead's history")
@click.option("--pool", default=None, help="fix_and_return: the pool to return to")
@click.option(
    "--fix",
    "fixes",
    multiple=True,
    metavar="FIELD=VALUE",
    help="fix_and_return: a corrected field (repeatable)",
)
@click.pass_context
def decide(
    ctx: click.Context,
    lead_id: str,
    decision: str,
    note: str,
    pool: str | None,
    fixes: tuple[str, ...],
) -> None:
    """Archive, nurture, recycle, or fix and return LEAD_ID."""
    corrected: dict[str, str] = {}
    for fix in fixes:
        name, sep, value = fix.partition("=")
        if not sep or not name:
            raise click.BadParameter(
                f"{fix!r}: expected FIELD=VALUE", param_hint="--fix"
            )
        corrected[name] = value
    payload: dict[str, Any] = {"decision": decision, "note": note, "fixes": corrected}
    if pool:
        payload["pool"] = pool
    command = _call(ctx, "POST", f"/review/{lead_id}", json=payload)
    click.echo(
        f"{lead_id}: {decision} sent as command {command['command_id']} "
        f"({command['action']})"
    )
