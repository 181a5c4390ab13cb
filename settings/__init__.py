"""The stack file's contract: every `aurora:*` setting, its rules and what derives from it.

`model` declares the settings, with the value types of `values` and the value rules of `checks`;
`rules` joins settings; `messages` writes every refusal as one line; `loading` reads a stack and
validates it; `namespaces` says which keys something reads; `derived_names` makes the AWS names
from the cluster name; `reference` generates the docs' table and the schema; `deployed` reads what
the stack meets in AWS before anything is declared. Nothing here declares a resource: `components/`
receives plain values built from these settings.
"""
