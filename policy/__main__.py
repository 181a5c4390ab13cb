"""The policy pack: `pulumi preview --policy-pack policy` runs these on any stack."""

from pulumi_policy import PolicyPack

from policies import POLICIES

PolicyPack(name="aurora-guardrails", policies=POLICIES)
