"""The package's schema as Pulumi's analyzer infers it from the components (the schema the host
serves to `pulumi package add`), committed as package/schema.json so a change of any packaged
contract shows in review. `python -m package.schema` writes it; `--check` only says whether it is
stale (tests/package/test_schema.py)."""

import json
import sys
from pathlib import Path
from typing import Any

from pulumi.provider.experimental.component import ComponentProvider

from .members import COMPONENTS, NAME, VERSION

SCHEMA = Path(__file__).parent / "schema.json"


def package_schema() -> dict[str, Any]:
    schema = ComponentProvider(COMPONENTS, NAME, version=VERSION).schema
    assert schema is not None, "a ComponentProvider always has the schema it inferred"
    return json.loads(schema)


def schema_text() -> str:
    return json.dumps(package_schema(), indent=2, sort_keys=True) + "\n"


def main(argv: list[str]) -> int:
    text = schema_text()
    if argv == ["--check"]:
        if not SCHEMA.exists() or SCHEMA.read_text() != text:
            print(f"{SCHEMA.name} is stale: run .venv/bin/python -m package.schema", file=sys.stderr)
            return 1
        return 0
    SCHEMA.write_text(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
