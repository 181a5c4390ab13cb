"""Which earlier resource a declared resource is, decided as the Pulumi engine decides it: by its URN,
else by the first of its aliases found among the old resources; a child also goes by the URN its
parent was found under, with the parent's old name in place of the new one where the child's name
starts with it (pulumi/pulumi pkg/resource/deploy/step_generator.go: `generateSteps` looks the URN
up first, then `generateAliases`, which collapses each alias with `collapseAliasToUrn` and
multiplies out the parent's matched alias with `inheritedChildAlias`).

So a component whose type token changes keeps its resources when it carries an alias with its old
type: its children inherit the alias without declaring one, and their children in turn.

URNs are built as the SDK's mock monitor builds them (pulumi/runtime/mocks.py `make_urn`: the
parent's own type before `$`, the root stack's too), because both snapshots the plan compares come
from it; the engine builds them with the parent's whole type chain and no root stack, the same way
for the old and the new program.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .snapshot import Resource

PARENT_SEPARATOR = "$"


def urn_parts(urn: str) -> tuple[str, str, str, str]:
    """`urn:pulumi:STACK::PROJECT::QUALIFIED_TYPE::NAME` -> (stack, project, qualified type, name)."""
    head, project, qualified_type, name = urn.split("::", 3)
    return head.removeprefix("urn:pulumi:"), project, qualified_type, name


def make_urn(stack: str, project: str, parent: str, type_: str, name: str) -> str:
    if parent:
        type_ = urn_parts(parent)[2].split(PARENT_SEPARATOR)[-1] + PARENT_SEPARATOR + type_
    return f"urn:pulumi:{stack}::{project}::{type_}::{name}"


def previous_urns(resources: Iterable[Resource], old_urns: Iterable[str]) -> dict[str, str]:
    """For each declared resource found among the old ones, its URN -> the old resource's URN."""
    declared = {resource.urn: resource for resource in resources}
    old = set(old_urns)
    found: dict[str, str | None] = {}

    def find(urn: str) -> str | None:
        if urn not in found:
            resource = declared[urn]
            candidates = [urn, *aliases_of(resource, parent_alias_of(resource))]
            found[urn] = next((candidate for candidate in candidates if candidate in old), None)
        return found[urn]

    def parent_alias_of(resource: Resource) -> str | None:
        """The old URN the parent was found under, when that is not its own URN (the engine's `sg.aliases`)."""
        if resource.parent not in declared:
            return None
        previous = find(resource.parent)
        return previous if previous != resource.parent else None

    def aliases_of(resource: Resource, parent_alias: str | None) -> list[str]:
        own = [collapse(resource, alias) for alias in resource.aliases]
        if parent_alias is None:
            return own
        parent_name = urn_parts(resource.parent)[3]
        inherited = [_inherited(resource.type, resource.name, parent_name, parent_alias)]
        for alias_urn in own:
            _, _, qualified_type, name = urn_parts(alias_urn)
            inherited.append(_inherited(qualified_type.split(PARENT_SEPARATOR)[-1], name, parent_name, parent_alias))
        return own + inherited

    def collapse(resource: Resource, alias: Mapping[str, Any]) -> str:
        if alias.get("urn"):
            return str(alias["urn"])
        stack, project, _, _ = urn_parts(resource.urn)
        parent = alias.get("parent") or resource.parent
        if alias.get("parent") and parent in declared:
            parent = find(parent) or parent
        if alias.get("no_parent"):
            parent = ""
        return make_urn(
            alias.get("stack") or stack,
            alias.get("project") or project,
            parent,
            alias.get("type") or resource.type,
            alias.get("name") or resource.name,
        )

    for urn in declared:
        find(urn)
    return {urn: previous for urn, previous in found.items() if previous is not None}


def _inherited(child_type: str, child_name: str, parent_name: str, parent_alias: str) -> str:
    """A child's alias under its parent's old URN; a name made from the parent's takes the old one."""
    stack, project, _, parent_alias_name = urn_parts(parent_alias)
    if child_name.startswith(parent_name):
        child_name = parent_alias_name + child_name.removeprefix(parent_name)
    return make_urn(stack, project, parent_alias, child_type, child_name)
