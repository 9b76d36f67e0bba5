"""The configuration document: one YAML file, validated, seed numbers default."""

from schemas.config.document import LeadpoolConfig
from schemas.config.loader import ConfigError, load_config, parse_config

__all__ = ["ConfigError", "LeadpoolConfig", "load_config", "parse_config"]
