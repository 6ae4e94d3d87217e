"""JSON Schema of the curated files, generated from the models (for curators' editors)."""

from __future__ import annotations

import json
from typing import Any

from geo import models

__all__ = [
    "SCHEMA_FILES",
    "dataset_schema",
    "incident_schema",
    "places_schema",
    "schema_text",
]


def schema_text(schema: dict[str, Any]) -> str:
    """Return the canonical text of a schema file (stable key order, UTF-8, final newline)."""
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def incident_schema() -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of one data/incidents/<id>.yaml file."""
    schema = models.Incident.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Seamark incident"
    return schema


def places_schema() -> dict[str, Any]:
    """Return the JSON Schema of data/places.yaml (a list of places)."""
    item = models.Place.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Seamark gazetteer",
        "type": "array",
        "items": item,
    }


def dataset_schema() -> dict[str, Any]:
    """Return the JSON Schema of data/dataset.yaml (the directory's settings)."""
    schema = models.DatasetSettings.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Seamark dataset settings"
    return schema


# Committed schema files and the function that generates each; a test keeps them in sync.
SCHEMA_FILES = {
    "incident.schema.json": incident_schema,
    "places.schema.json": places_schema,
    "dataset.schema.json": dataset_schema,
}
