"""The policy pack run outside the Pulumi engine: resource options as the engine passes them, and
the whole pack over a recorded deployment."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pulumi_policy import (
    PolicyCustomTimeouts,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
)

from plan.engine import Deployment
from policy.policies import POLICIES


def resource_options(protect: bool = False, ignore_changes: list[str] | None = None) -> PolicyResourceOptions:
    return PolicyResourceOptions(protect, ignore_changes or [], None, [], PolicyCustomTimeouts(0, 0, 0), [])


def all_violations(deployment: Deployment, policies: Sequence[Any] = POLICIES) -> list[str]:
    """Run the whole pack (or `policies` of it) the way the engine does: each resource through every
    resource policy, then the stack policies over all custom resources (props are the recorded inputs)."""
    custom = [r for r in deployment.resources if r.type.startswith(("aws:", "mysql:", "pulumi:providers:"))]
    found: list[str] = []

    def report(message: str, urn: str | None = None) -> None:
        found.append(message)

    resources: dict[str, PolicyResource] = {}
    for registration in custom:
        options = resource_options(registration.protect, registration.ignore_changes)
        resources[registration.urn] = PolicyResource(
            registration.type, registration.inputs, registration.urn, registration.name, options, None, None, [], {}
        )
    for registration in custom:
        resources[registration.urn].property_dependencies = {
            key: [resources[urn] for urn in urns if urn in resources] for key, urns in registration.property_dependencies.items()
        }
    for policy in policies:
        if isinstance(policy, ResourceValidationPolicy):
            for registration in custom:
                resource = resources[registration.urn]
                args = ResourceValidationArgs(
                    resource.resource_type, resource.props, resource.urn, resource.name, resource.opts, None
                )
                policy.validate(args, report)
        else:
            policy.validate(StackValidationArgs(list(resources.values())), report)
    return found
