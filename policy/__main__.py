"""The policy pack: `pulumi preview --policy-pack policy` runs these on any stack."""

import sys
from pathlib import Path

from pulumi_policy import PolicyPack

# However the analyzer starts this file, its sibling module must be importable.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from policies import POLICIES  # noqa: E402

PolicyPack(name="aurora-guardrails", policies=POLICIES)
