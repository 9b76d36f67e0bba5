"""`python -m services.metrics`: run one metrics worker."""

from schemas.config import load_config
from services.common.live_config import LiveConfig
from services.common.settings import ServiceSettings
from services.common.worker import run_worker
from services.metrics.app import create_app


def main() -> None:
    settings = ServiceSettings()
    config = load_config(settings.config_path)
    app = create_app(settings, LiveConfig(config))
    run_worker(app, settings, config, "metrics")


if __name__ == "__main__":
    main()
