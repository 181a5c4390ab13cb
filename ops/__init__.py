"""Operations on live Aurora clusters (boto3): seeding, failover, backtrack, clones, restores.

Components declare infrastructure; this package acts on it. `python -m ops --help` lists the
commands.
"""
