"""`python -m schemas.export`: write every contract as a JSON Schema file.

Other teams' producers validate against these files; a test keeps them
current with the models.
"""

import json
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter

from schemas.commands import HygieneCommand
from schemas.config import LeadpoolConfig
from schemas.events import (
    HeldLead,
    LeadEvent,
    LeadMerged,
    LeadOffered,
    PooledLead,
    RejectedLead,
)
from schemas.intake import IntakeLead
from schemas.lead import Lead
from schemas.runs import CleanupRunRecord

OUT_DIR = Path(__file__).parent / "json"

CONTRACTS: dict[str, type[BaseModel] | TypeAdapter[Any]] = {
    "intake-lead": IntakeLead,
    "lead": Lead,
    "pooled-lead": PooledLead,
    "rejected-lead": RejectedLead,
    "merged-lead": LeadMerged,
    "lead-offer": LeadOffered,
    "held-lead": HeldLead,
    "lead-event": TypeAdapter(LeadEvent),
    "hygiene-command": HygieneCommand,
    "cleanup-run": CleanupRunRecord,
    "leadpool-config": LeadpoolConfig,
}


def render(contract: type[BaseModel] | TypeAdapter[Any]) -> str:
    if isinstance(contract, TypeAdapter):
        schema = contract.json_schema()
    else:
        schema = contract.model_json_schema()
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"


def expected_files() -> dict[Path, str]:
    return {OUT_DIR / f"{name}.schema.json": render(c) for name, c in CONTRACTS.items()}


def main() -> int:
    OUT_DIR.mkdir(exist_ok=True)
    for path, text in expected_files().items():
        path.write_text(text)
    sys.stderr.write(f"wrote {len(CONTRACTS)} schemas to {OUT_DIR}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
