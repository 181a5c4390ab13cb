"""Which components the package offers, and its version.

Packaged: the components a user composes, whose args Pulumi's analyzer reads (flat TypedDicts of
plain values and `pulumi.Input`s, no other component among them). Not packaged:
- SampleData: a dynamic resource, not a component; its provider is pickled into the state of the
  program that declares it, and the component host only hosts ComponentResources.
- GlobalDatabase: it takes the primary `AuroraCluster` and its args object (it mirrors the primary's
  engine, shape and windows), which no schema type can carry.
- MasterPassword, RestoreCompletion: parts of AuroraCluster, not composed by a user.
"""

import pulumi

from components.app_user import AppUser
from components.aurora_cluster import AuroraCluster
from components.client_host import ClientHost
from components.disaster_recovery import DisasterRecovery
from components.network import Network
from components.observability import Observability
from components.package_identity import PACKAGE
from components.promotion import Promotion
from components.proxy import DatabaseProxy

COMPONENTS: list[type[pulumi.ComponentResource]] = [
    AuroraCluster,
    Network,
    Promotion,
    Observability,
    DisasterRecovery,
    DatabaseProxy,
    ClientHost,
    AppUser,
]
NAME = PACKAGE
VERSION = "0.1.0"
"""The schema's version: raised with each tag `v<VERSION>` a user installs (docs/package.md, Versioning)."""
