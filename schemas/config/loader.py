"""Reading a configuration document, refusing it with every error by path."""

from pathlib import Path

import yaml
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from schemas.config.document import LeadpoolConfig


class ConfigError(ValueError):
    """The document is not a valid configuration; `errors` names each path."""

    def __init__(self, origin: str, errors: list[str]) -> None:
        self.origin = origin
        self.errors = errors
        listing = "\n".join(f"  - {error}" for error in errors)
        super().__init__(f"invalid configuration in {origin}:\n{listing}")


def _path(location: tuple[int | str, ...]) -> str:
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text.lstrip(".") or "$"


def parse_config(text: str, origin: str = "<text>") -> LeadpoolConfig:
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise ConfigError(origin, [f"$: not valid YAML ({err})"]) from err
    if not isinstance(document, dict):
        raise ConfigError(origin, ["$: the document must be a mapping"])

    try:
        return LeadpoolConfig.model_validate(document)
    except ValidationError as err:
        errors = [line for error in err.errors() for line in _describe(error)]
        raise ConfigError(origin, errors) from err


def _describe(error: ErrorDetails) -> list[str]:
    message = error["msg"].removeprefix("Value error, ")
    if not error["loc"]:
        # Cross-section checks name their own paths, one problem a line.
        return message.splitlines()
    return [f"{_path(error['loc'])}: {message}"]


def load_config(path: Path) -> LeadpoolConfig:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise ConfigError(str(path), [f"$: cannot read file ({err.strerror})"]) from err
    return parse_config(text, origin=str(path))
