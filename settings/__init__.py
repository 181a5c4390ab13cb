"""The stack file's contract: every `aurora:*` setting, its rules and what derives from it.

`model` declares the settings, `checks` the rules of single values, `rules` (in `model` for now)
the rules that join settings, `loading` reads a stack and writes every refusal as one line,
`derived_names` the AWS names made from the cluster name, `reference` the generated docs and
schema, `deployed` what the stack meets in AWS before anything is declared. Nothing here declares a
resource; `components/` receives plain values built from these settings.
"""
