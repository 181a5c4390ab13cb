"""MasterPassword: the master password of a cluster that cannot use a Secrets Manager-managed one.

AWS does not support managed master passwords (`manage_master_user_password`) for clusters in an
Aurora Global Database (Aurora User Guide, "Password management with Amazon Aurora and AWS
Secrets Manager", Limitations). For those, this component generates the password with
pulumi-random and keeps it where the Data API and the client host read it: a Secrets Manager
secret (KMS-encrypted, replicated to the DR region) holding the JSON {"username", "password", ...}
the Data API expects.

The password reaches AWS only through write-only arguments (`master_password_wo` on the cluster,
`secret_string_wo` on the secret version). The provider never reads them back; the bridge still
records them among the resource's inputs, but as Pulumi secrets (encrypted in the state, never in
clear), as is the RandomPassword result itself.

Rotation: raise `aurora:masterPasswordVersion` and run `pulumi up`. The version is a keeper of the
RandomPassword (a new password) and the `_wo_version` of both the cluster and the secret version,
so the cluster's password and the secret change in the same run.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws
import pulumi_random as random

from settings.derived_names import master_secret_prefix

# RDS master passwords: printable ASCII except '/', '"', '@' and space (RDS naming constraints).
PASSWORD_SPECIALS = "!#$%&*()-_=+[]{}<>:?"
PASSWORD_LENGTH = 32


@dataclass
class MasterPasswordArgs:
    cluster_identifier: str
    """The cluster the password belongs to; the secret is named after it."""
    version: int
    """Password version; raising it generates and applies a new password."""
    replica_regions: list[str] = field(default_factory=list)
    """Regions the secret is replicated to (the Global Database's DR region)."""
    protect: bool = False
    """Pulumi `protect`: the secret holds the only copy of a production password."""
    tags: dict[str, str] = field(default_factory=dict)
    """Tags of the secret."""


def secret_document(username: str, password: str, cluster_identifier: str) -> str:
    """The secret's JSON: `username` and `password` are what the Data API and `aurora-mysql` read."""
    return json.dumps({"engine": "mysql", "username": username, "password": password, "dbClusterIdentifier": cluster_identifier})


class MasterPassword(pulumi.ComponentResource):
    password: pulumi.Output[str]
    version: int
    secret: aws.secretsmanager.Secret
    secret_version: aws.secretsmanager.SecretVersion
    secret_arn: pulumi.Output[str]

    def __init__(self, name: str, args: MasterPasswordArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("aurora:database:MasterPassword", name, None, opts)
        kept = pulumi.ResourceOptions(parent=self, protect=args.protect)
        self.version = args.version
        generated = random.RandomPassword(
            f"{name}-value",
            length=PASSWORD_LENGTH,
            special=True,
            override_special=PASSWORD_SPECIALS,
            min_lower=1,
            min_upper=1,
            min_numeric=1,
            # A new version is a new password: the keeper replaces the RandomPassword.
            keepers={"version": str(args.version)},
            opts=pulumi.ResourceOptions(parent=self),
        )
        # pulumi-random marks `result` secret itself (additional_secret_outputs): encrypted in state.
        self.password = generated.result
        self.secret = aws.secretsmanager.Secret(
            f"{name}-secret",
            # A deleted secret keeps its name for the 30-day recovery window: a fixed name would
            # collide when the stack is re-created, so the provider adds a unique suffix.
            name_prefix=master_secret_prefix(args.cluster_identifier),
            description=f"{args.cluster_identifier}: master user (generated; Global Database members cannot use a managed password)",
            # No kms_key_id, here or on the replicas: Secrets Manager then uses the AWS managed key
            # aws/secretsmanager of each region (botocore secretsmanager model, CreateSecret and
            # ReplicaRegionType KmsKeyId), the key of RDS-managed secrets too, which every principal
            # allowed to read the secret may use through Secrets Manager. Naming it diffs on every
            # preview: DescribeSecret omits KmsKeyId for that key, and the provider's kms_key_id is
            # Optional, not Computed (terraform-provider-aws secretsmanager/secret.go; its
            # TestAccSecretsManagerSecret_basic reads kms_key_id back as ""). The replica's kms_key_id
            # is Optional+Computed: left out, it keeps what AWS reports
            # (TestAccSecretsManagerSecret_basicReplica, a replica with no key, plans nothing after apply).
            replicas=[aws.secretsmanager.SecretReplicaArgs(region=region) for region in args.replica_regions],
            recovery_window_in_days=30,
            tags=args.tags,
            opts=kept,
        )
        self._name, self._args, self._kept = name, args, kept
        self.secret_arn = self.secret.arn
        self.register_outputs({"secretArn": self.secret_arn, "version": args.version})

    def store(self, username: pulumi.Input[str]) -> aws.secretsmanager.SecretVersion:
        """Write the password and the cluster's master user name (known only once a restored cluster
        exists) into the secret; a new version is written when the password version changes."""
        # Secret because the password is: Output.all keeps the secret mark of any of its parts.
        document = pulumi.Output.all(self.password, username).apply(
            lambda values: secret_document(values[1], values[0], self._args.cluster_identifier)
        )
        self.secret_version = aws.secretsmanager.SecretVersion(
            f"{self._name}-secret-version",
            secret_id=self.secret.id,
            secret_string_wo=document,
            secret_string_wo_version=self.version,
            opts=self._kept,
        )
        return self.secret_version
