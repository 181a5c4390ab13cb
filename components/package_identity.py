"""The components' type tokens as Pulumi's component host requires them, `<package>:index:<Class>`
(pulumi/provider/experimental/component.py `validate_resource_type`: the module must be `index`),
and the alias that keeps what a stack declared under a component's token before the package.

Changing a component's type changes its URN and every descendant's (a child's URN holds its
parent's type). The alias of the old type on the component is enough: the engine gives each child
the alias its parent was found under, and their children in turn (pulumi/pulumi
pkg/resource/deploy/step_generator.go `generateAliases`, `inheritedChildAlias`; the offline plan
reads them the same way, plan/aliases.py).
"""

import pulumi

PACKAGE = "aurora"
"""The package name: the prefix the components' tokens always had."""


def type_token(component: str) -> str:
    return f"{PACKAGE}:index:{component}"


def released_identity(opts: pulumi.ResourceOptions | None, released_token: str) -> pulumi.ResourceOptions:
    """The caller's options plus an alias of the token the component was released under."""
    return pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(aliases=[pulumi.Alias(type_=released_token)]))
