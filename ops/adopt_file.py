"""The stack file `ops adopt` writes: YAML as the project's own stack files are written (indented
lists, quoted times, no line past yamllint's limit), with comments that say what to read before
the first `pulumi up`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from .adopt import Adoption

# .yamllint: `line-length: max: 130`; PyYAML folds longer plain scalars at this width.
LINE_WIDTH = 120


class _StackFileDumper(yaml.SafeDumper):
    """Lists indented under their key (yamllint's default `indent-sequences`, as Pulumi.dev.yaml is
    written), keys plain (`aws:region`), and values holding a colon quoted, as the project's windows
    are ("03:00-04:00")."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> Any:
        return super().increase_indent(flow, False)

    def ignore_aliases(self, data: Any) -> bool:
        return True  # every value written out where it belongs, never as an anchor and alias


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"' if ":" in value else None)


def _mapping(dumper: yaml.SafeDumper, data: dict[str, Any]) -> yaml.MappingNode:
    pairs = [(yaml.ScalarNode("tag:yaml.org,2002:str", key), dumper.represent_data(value)) for key, value in data.items()]
    return yaml.MappingNode("tag:yaml.org,2002:map", pairs, flow_style=False)


_StackFileDumper.add_representer(str, _text)
_StackFileDumper.add_representer(dict, _mapping)


def stack_file_text(adoption: Adoption, stack: str, cluster_id: str) -> str:
    body = yaml.dump({"config": adoption.config}, Dumper=_StackFileDumper, sort_keys=False, width=LINE_WIDTH, allow_unicode=True)
    accept = ["    # The first `up` changes in place (docs/adopt.md); accept each by name to go ahead:\n"]
    accept += [f"    #   {change.name}\n" for change in adoption.changes]
    lines = body.splitlines(keepends=True)
    at = lines.index("    acceptChanges: []\n")
    header = (
        "# yaml-language-server: $schema=schema/stack-config.schema.json\n"
        f"# Written by `python -m ops adopt --cluster {cluster_id} --stack {stack}`: the settings that reproduce the live\n"
        "# cluster, and what the first `pulumi up` imports (aurora:adopt). Read docs/adopt.md, then `pulumi preview`.\n"
    )
    return header + "".join(lines[:at] + accept + lines[at:])


def write_stack_file(path: Path, text: str, confirm: Callable[[str], None]) -> None:
    """Write the file; an existing one is replaced only once the user confirms (or passes --yes)."""
    if path.exists():
        confirm(f"{path} exists: replace it?")
    path.write_text(text)
