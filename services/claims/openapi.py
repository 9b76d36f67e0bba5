"""The OpenAPI document of the claims API, generated from its pydantic models."""

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

PROBLEM = {
    "type": "object",
    "description": "RFC 9457 problem details",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {"type": "array", "items": {"type": "object"}},
    },
    "required": ["type", "title", "status"],
}


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    summary: str
    body: type[BaseModel] | None = None
    response: type[BaseModel] | None = None
    many: bool = False  # the response is a list of `response`


def document(routes: list[Route], version: str) -> dict[str, Any]:
    schemas: dict[str, Any] = {"Problem": PROBLEM}
    paths: dict[str, dict[str, Any]] = {}
    for route in routes:
        paths.setdefault(route.path, {})[route.method.lower()] = _operation(
            route, schemas
        )
    return {
        "openapi": "3.1.0",
        "info": {"title": "Leadpool claims", "version": version},
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{"bearer": []}],
        "paths": paths,
    }


def _operation(route: Route, schemas: dict[str, Any]) -> dict[str, Any]:
    problem = {"application/problem+json": {"schema": _ref("Problem")}}
    operation: dict[str, Any] = {
        "summary": route.summary,
        "parameters": [
            {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
            for name in _path_names(route.path)
        ],
        "responses": {
            "200": {"description": "OK", "content": _content(route, schemas)},
            "4XX": {"description": "Refused, with the reason", "content": problem},
        },
    }
    if route.body is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": _schema(route.body, schemas)}},
        }
    return operation


def _content(route: Route, schemas: dict[str, Any]) -> dict[str, Any]:
    if route.response is None:
        return {"application/json": {"schema": {"type": "object"}}}
    schema = _schema(route.response, schemas)
    if route.many:
        schema = {"type": "array", "items": schema}
    return {"application/json": {"schema": schema}}


def _schema(model: type[BaseModel], schemas: dict[str, Any]) -> dict[str, Any]:
    generated = model.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(generated.pop("$defs", {}))
    schemas[model.__name__] = generated
    return _ref(model.__name__)


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _path_names(path: str) -> list[str]:
    return [part[1:-1] for part in path.split("/") if part.startswith("{")]
