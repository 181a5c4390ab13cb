"""Cluster parameter values: TLS enforcement and the engine logging that log exports need.

Exporting a log type to CloudWatch only ships what the engine writes; without these parameters
the audit, general and slow query log groups stay empty (aws-facts: "Exports only carry what the
engine writes").
"""

from __future__ import annotations

from collections.abc import Iterable

# What changed between the parameter group families, for the parameters a cluster parameter group
# can carry: MySQL 8.4 removed variables deprecated in 8.0 and renamed others (MySQL Server Version
# Reference, "Option and Variable Changes for MySQL 8.4": default_authentication_plugin,
# binlog_transaction_dependency_tracking, avoid_temporal_upgrade, have_ssl, have_openssl removed in
# 8.4.0; expire_logs_days removed in 8.2.0; "Option and Variable Changes for MySQL 8.2"), and Aurora
# MySQL 8.4 replaces default_authentication_plugin with authentication_policy (Aurora User Guide,
# "Comparing Aurora MySQL version 3 and Aurora MySQL version 8.4"). None of them is one this program
# sets: require_secure_transport (ON by default in 8.4, same guide), the Advanced Auditing
# parameters (8.4 has "the same Aurora features as the latest Aurora MySQL version 3 releases",
# fast insert excepted: "Aurora MySQL version 8.4 compatible with MySQL 8.4") and the general and
# slow query log variables are the same in both families. The table is the check that stays true
# when a parameter is added here (tests/settings/test_major_upgrade.py).
NOT_IN_FAMILY: dict[str, dict[str, str]] = {
    "aurora-mysql8.4": {
        "default_authentication_plugin": "replaced by authentication_policy (another value format)",
        "expire_logs_days": "replaced by binlog_expire_logs_seconds",
        "binlog_transaction_dependency_tracking": "removed (WRITESET is built in)",
        "avoid_temporal_upgrade": "removed",
        "have_ssl": "removed",
        "have_openssl": "removed",
    },
}

# Connections, privilege changes and schema changes: the audit trail a reviewer asks for,
# without logging every row read (QUERY_DML would multiply log volume and cost).
AUDIT_EVENTS = "CONNECT,QUERY_DCL,QUERY_DDL"

# Statements slower than this many seconds land in the slow query log.
SLOW_QUERY_SECONDS = "1"


def cluster_parameters(log_exports: Iterable[str], family: str) -> dict[str, str]:
    """Parameter name to value for the cluster parameter group of `family` (`aurora-mysql8.0` or
    `aurora-mysql8.4`): the same settings in both; one `family` no longer has is an error."""
    parameters = _parameters(log_exports)
    gone = NOT_IN_FAMILY.get(family, {})
    missing = [f"{name} ({gone[name]})" for name in sorted(set(parameters) & set(gone))]
    if missing:
        raise ValueError(f"parameter group family {family} has no {', '.join(missing)}")
    return parameters


def _parameters(log_exports: Iterable[str]) -> dict[str, str]:
    exports = set(log_exports)
    parameters = {"require_secure_transport": "ON"}
    if "audit" in exports:
        parameters["server_audit_logging"] = "1"
        parameters["server_audit_events"] = AUDIT_EVENTS
    if "general" in exports:
        parameters["general_log"] = "1"
    if "slowquery" in exports:
        parameters["slow_query_log"] = "1"
        parameters["long_query_time"] = SLOW_QUERY_SECONDS
    if exports & {"general", "slowquery"}:
        parameters["log_output"] = "FILE"
    return parameters
