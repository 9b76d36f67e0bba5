"""Process settings from the environment, read once in each entry point."""

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class ServiceSettings(BaseSettings):
    """Where a worker finds its broker, Redis, configuration and port.

    Every variable is prefixed `LEADPOOL_`; the two infrastructure addresses
    also answer to the conventional `KAFKA_BOOTSTRAP_SERVERS` and `REDIS_URL`.
    """

    model_config = SettingsConfigDict(env_prefix="LEADPOOL_", frozen=True)

    kafka_bootstrap_servers: str = Field(
        default="127.0.0.1:9092",
        validation_alias=AliasChoices(
            "LEADPOOL_KAFKA_BOOTSTRAP_SERVERS", "KAFKA_BOOTSTRAP_SERVERS"
        ),
    )
    redis_url: SecretStr = Field(
        default=SecretStr("redis://127.0.0.1:6379/0"),
        validation_alias=AliasChoices("LEADPOOL_REDIS_URL", "REDIS_URL"),
    )
    config_path: Path = Path("deploy/config/leadpool.yaml")
    namespace: str = Field(
        default="",
        description="Prefix for topics, consumer groups and Redis keys",
        pattern=r"^[a-z0-9._-]*$",
    )
    web_host: str = "127.0.0.1"
    web_port: int = Field(default=0, ge=0, le=65535, description="0: service default")
    data_dir: Path = Path(".run/data")
    log_level: str = Field(default="INFO", pattern=r"^(DEBUG|INFO|WARNING|ERROR)$")
    log_json: bool = True
    kafka_session_timeout_s: float = 10.0
    kafka_fetch_wait_ms: int = 10
    producer_linger_ms: int = Field(
        default=1,
        ge=0,
        description="How long a produce batch waits for company: 5 ms put the "
        "router's p50 at 42 ms in `make bench`, 1 ms at 15 ms, at the same rate",
    )
    producer_max_batch_bytes: int = Field(
        default=262_144,
        gt=0,
        description="Per-partition produce batch: 16 KB (the client's default) "
        "holds about a dozen leads, so each send paid a batch's overhead",
    )
    clock: Literal["wall", "event"] = Field(
        default="event",
        description="Hygiene's time. event: the newest event seen or tick on the "
        "clock topic, so a replay decides as the first reading did; wall: the host's",
    )
    clock_tick_s: float = Field(
        default=60,
        ge=0,
        description="Event clock: the hygiene leader ticks the wall time this often, "
        "so time moves while no events arrive; 0: only events and outside ticks",
    )

    def topic(self, name: str) -> str:
        return f"{self.namespace}{name}"

    def redis_key(self, *parts: str) -> str:
        scope = ["lp", self.namespace.strip(".")] if self.namespace else ["lp"]
        return ":".join([*scope, *parts])

    def describe(self) -> dict[str, object]:
        """The effective settings for the start-up log, secrets masked."""
        return self.model_dump(mode="json") | {"redis_url": "***"}
