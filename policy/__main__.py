"""The policy pack: `pulumi preview --policy-pack policy` runs these on any stack."""

from policies import POLICIES
from pulumi_policy import PolicyPack

PolicyPack(name="aurora-guardrails", policies=POLICIES)
