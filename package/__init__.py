"""The components as a Pulumi component package (docs/package.md): `__main__.py` hosts them,
`members` says which and at which version, `schema` writes and checks the schema Pulumi infers."""
