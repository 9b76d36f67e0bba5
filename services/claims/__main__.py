"""`python -m services.claims`: run one claims worker."""

from schemas.config import load_config
from services.claims.app import create_app
from services.common.clock import WallClock
from services.common.live_config import LiveConfig
from services.common.settings import ServiceSettings
from services.common.worker import run_worker


def main() -> None:
    settings = ServiceSettings()
    config = load_config(settings.config_path)
    app = create_app(settings, LiveConfig(config), WallClock())
    run_worker(app, settings, config, "claims")


if __name__ == "__main__":
    main()
