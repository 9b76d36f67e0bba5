"""`python -m services.router`: run one router worker."""

from schemas.config import load_config
from services.common.clock import WallClock
from services.common.live_config import LiveConfig
from services.common.settings import ServiceSettings
from services.common.worker import run_worker
from services.router.app import create_app


def main() -> None:
    settings = ServiceSettings()
    config = load_config(settings.config_path)
    app = create_app(settings, LiveConfig(config), WallClock())
    run_worker(app, settings, config, "router")


if __name__ == "__main__":
    main()
