"""The committed JSON Schema files stay in sync with the models."""

from pathlib import Path

import jsonschema
import pytest
import yaml

from geo.schema import SCHEMA_FILES, incident_schema, schema_text
from tests.conftest import CURATED_DIR, FIXTURE_DIR

SCHEMA_DIR = CURATED_DIR / "schema"


@pytest.mark.parametrize("name", sorted(SCHEMA_FILES))
def test_committed_schema_matches_the_models(name: str) -> None:
    committed = (SCHEMA_DIR / name).read_text(encoding="utf-8")
    assert committed == schema_text(SCHEMA_FILES[name]()), (
        f"data/schema/{name} is stale: run `python -m geo schema --write data/schema`"
    )


@pytest.mark.parametrize("path", sorted((FIXTURE_DIR / "incidents").glob("*.yaml")))
def test_fixture_incidents_satisfy_the_json_schema(path: Path) -> None:
    # editors see YAML timestamps as strings (BaseLoader); the schema must accept that form
    document = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    _numbers(document)
    jsonschema.validate(document, incident_schema())


def _numbers(node: object) -> None:
    """Turn the numeric strings BaseLoader leaves behind back into numbers, in place."""
    items = (
        node.items()
        if isinstance(node, dict)
        else enumerate(node)
        if isinstance(node, list)
        else []
    )
    for key, value in list(items):
        if isinstance(value, str):
            try:
                node[key] = float(value) if "." in value else int(value)
            except ValueError:
                continue
        else:
            _numbers(value)


def test_json_schema_rejects_unknown_fields() -> None:
    document = yaml.safe_load(
        (FIXTURE_DIR / "incidents" / "2024-05-02-fixture-alert.yaml").read_text()
    )
    document["colour"] = "red"
    for source in document["sources"]:
        source["published"] = str(source["published"])
    with pytest.raises(jsonschema.ValidationError, match="colour"):
        jsonschema.validate(document, incident_schema())
