"""The component package's entry point: Pulumi runs `python <this directory>` and talks to the
provider `component_provider_host` starts (pulumi/provider/experimental/host.py), which infers the
schema from the components' annotations and constructs them for any Pulumi language."""

import sys
from pathlib import Path

# `python package/` puts only this directory on sys.path; the components live in the repository root.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pulumi.provider.experimental import component_provider_host  # noqa: E402

from package.members import COMPONENTS, NAME, VERSION  # noqa: E402

if __name__ == "__main__":
    component_provider_host(components=COMPONENTS, name=NAME, version=VERSION)
