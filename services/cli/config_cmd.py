"""`leadpool config`: check a configuration file and publish it live."""

import asyncio
from pathlib import Path

import click

from schemas.config import ConfigError, load_config
from services.common.live_config import publish_config
from services.common.settings import ServiceSettings


@click.group()
def config() -> None:
    """Check and publish the configuration document."""


@config.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def check(path: Path) -> None:
    """Validate PATH; list every error by its path in the document."""
    try:
        document = load_config(path)
    except ConfigError as err:
        raise click.ClickException(str(err)) from err
    click.echo(f"{path}: valid, version {document.version}")


@config.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def publish(path: Path) -> None:
    """Validate PATH and publish it; every worker applies it without restart."""
    try:
        document = load_config(path)
    except ConfigError as err:
        raise click.ClickException(str(err)) from err
    asyncio.run(publish_config(ServiceSettings(), document))
    click.echo(f"published version {document.version}")
