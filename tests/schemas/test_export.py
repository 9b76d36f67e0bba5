"""The JSON Schema files other teams use match the models."""

from __future__ import annotations

import json

from schemas.export import CONTRACTS, OUT_DIR, expected_files


def test_exported_json_schemas_are_current() -> None:
    stale = [
        path.name
        for path, text in expected_files().items()
        if not path.exists() or path.read_text() != text
    ]
    assert stale == [], f"run `make schemas` and commit: {stale}"


def test_every_contract_is_exported_and_nothing_else() -> None:
    on_disk = {path.name for path in OUT_DIR.glob("*.schema.json")}
    assert on_disk == {f"{name}.schema.json" for name in CONTRACTS}


def test_intake_schema_names_required_fields_for_producers() -> None:
    schema = json.loads((OUT_DIR / "intake-lead.schema.json").read_text())
    assert set(schema["required"]) == {"source", "email", "score"}
    assert schema["properties"]["score"]["maximum"] == 100
