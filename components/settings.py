"""Constants and identifier names the settings and the components share.

The settings themselves are the validated models of `config_models.py`, declared once there.
"""

from __future__ import annotations

# Aurora MySQL 3.10 is the long-term-support line; AWS advises against automatic minor
# upgrades on it, so the version is pinned and upgrades are deliberate config changes.
# Source: Aurora MySQL release notes, "Aurora MySQL 3.10.5 (2026-07-30)", LTS notice.
DEFAULT_ENGINE_VERSION = "8.0.mysql_aurora.3.10.5"

# Graviton r7g: cheaper and faster than the workshop's db.r5.large (still accepted).
DEFAULT_INSTANCE_CLASS = "db.r7g.large"

# The workshop's four log types, turned on for production by default.
WORKSHOP_LOG_EXPORTS = ("audit", "error", "general", "slowquery")


def instance_identifier(cluster_identifier: str, number: int) -> str:
    """Identifier of a cluster's `number`th instance (1 is the intended writer)."""
    return f"{cluster_identifier}-instance-{number}"


def proxy_name(cluster_identifier: str) -> str:
    return f"{cluster_identifier}-proxy"


def proxy_reader_endpoint_name(cluster_identifier: str) -> str:
    return f"{cluster_identifier}-proxy-readers"


def global_cluster_identifier(cluster_identifier: str) -> str:
    return f"{cluster_identifier}-global"


def secondary_cluster_identifier(cluster_identifier: str, dr_region: str) -> str:
    """The Global Database secondary is named after the primary and its region."""
    return f"{cluster_identifier}-{dr_region}"
