"""`leadpool`: the ops command line. Each command group lives in its own module."""

import click

from services.cli import (
    claims_cmd,
    config_cmd,
    demo_cmd,
    explain_cmd,
    import_cmd,
    report_cmd,
    review_cmd,
)


@click.group()
@click.version_option(package_name="leadpool")
def cli() -> None:
    """Operate Leadpool: configuration, imports, claims and reports."""


cli.add_command(config_cmd.config)
cli.add_command(demo_cmd.demo)
cli.add_command(import_cmd.import_leads)
cli.add_command(explain_cmd.explain)
cli.add_command(report_cmd.report)
cli.add_command(review_cmd.review)
cli.add_command(claims_cmd.claims)


if __name__ == "__main__":
    cli()
