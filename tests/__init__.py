"""The offline tests, one folder per package of the program (settings, components, awsfacts,
awscalls, ops, plan, policy) and `project` for the repository itself.

Every folder is a package, so pytest imports each test module by its full name
(`tests.ops.test_failover`): a folder never shadows the program's package of the same name, and
two folders may hold files of the same name. Helpers are imported the same way
(`from tests.helpers import DEV_SOURCE_OUTPUTS`); fixtures live in conftest.py.
"""
