"""`leadpool explain LEAD_ID`: where a lead is and why, from the router."""

import click
import httpx


@click.command()
@click.argument("lead_id")
@click.option(
    "--router",
    "router_url",
    default="http://127.0.0.1:8081",
    envvar="LEADPOOL_ROUTER_URL",
    show_default=True,
)
@click.option(
    "--token",
    envvar="LEADPOOL_TOKEN",
    required=True,
    help="Your user API token (view permission on the lead's pool)",
)
def explain(lead_id: str, router_url: str, token: str) -> None:
    """Say which rule and config version placed LEAD_ID in its pool."""
    answer = httpx.get(
        f"{router_url}/leads/{lead_id}",
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    body = answer.json()
    if answer.status_code != 200:
        raise click.ClickException(f"{body.get('title')}: {body.get('detail')}")
    click.echo(f"lead {body['lead_id']} is in pool {body['pool']!r}")
    click.echo(f"  because: {body['reason']}")
    click.echo(
        f"  rule: {body['rule'] or '(default pool)'}; "
        f"config version {body['config_version']}"
    )
    click.echo(
        f"  routed at {body['routed_at']}; score {body['score']}; "
        f"merged duplicates {body['merged_duplicates']}"
    )
    if body["owner_rep"]:
        click.echo(f"  owned account: goes to rep {body['owner_rep']}")
    if body["fast_lane"]:
        click.echo("  fast lane: offered to several reps at once")
