"""Defaults of the stack settings that other modules read too (the plan's price table, the tests).

The settings themselves are the validated models of `config_models.py`, declared once there; the
names derived from the cluster name are in `derived_names.py`.
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
