"""AppUser: an application user with privileges on `tutorial` only, through pulumi-mysql.

The user signs in with IAM database authentication (`AWSAuthenticationPlugin`), so no password
exists for it; the IAM policy this component creates is what an application's role attaches to
connect as it. The MySQL provider itself must sign in as the master user: it reads the current
master password from the cluster's managed secret at deploy time and keeps it as a Pulumi secret
(encrypted in the state). That is why the whole component is off unless `aurora:appUser` is set.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws
import pulumi_mysql as mysql

IAM_AUTH_PLUGIN = "AWSAuthenticationPlugin"
APP_PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "DELETE")


@dataclass
class AppUserArgs:
    endpoint: str
    """`host:port` the MySQL provider connects to (for example an SSM-forwarded local port)."""
    master_username: pulumi.Input[str]
    """The master user the provider signs in as."""
    secret_arn: pulumi.Input[str]
    """The cluster's managed master secret."""
    cluster_resource_id: pulumi.Input[str]
    """The cluster's resource id, part of the `rds-db:connect` ARN."""
    region: str
    """Region of the cluster."""
    user_name: str
    """The application user."""
    database: str = "tutorial"
    """The only database the user may use."""
    tags: dict[str, str] = field(default_factory=dict)
    """Tags for the IAM policy."""


def connect_policy(partition: str, region: str, account: str, cluster_resource_id: str, user: str) -> str:
    """IAM policy allowing `rds-db:connect` as this one database user of this one cluster."""
    resource = f"arn:{partition}:rds-db:{region}:{account}:dbuser:{cluster_resource_id}/{user}"
    return json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "rds-db:connect", "Resource": resource}]}
    )


class AppUser(pulumi.ComponentResource):
    """An IAM-authenticated MySQL user with DML privileges on one database."""

    user: mysql.User
    grant: mysql.Grant
    connect_policy: aws.iam.Policy

    def __init__(self, name: str, args: AppUserArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("aurora:database:AppUser", name, None, opts)
        master_password = aws.secretsmanager.get_secret_version_output(secret_id=args.secret_arn).secret_string.apply(
            lambda text: json.loads(text)["password"]
        )
        provider = mysql.Provider(
            f"{name}-mysql",
            endpoint=args.endpoint,
            username=args.master_username,
            password=pulumi.Output.secret(master_password),
            # The server requires TLS; the certificate's name cannot match a forwarded 127.0.0.1, so
            # it is not verified at all. The SSM tunnel carrying it is encrypted and authenticated.
            tls="skip-verify",
            opts=pulumi.ResourceOptions(parent=self),
        )
        on_database = pulumi.ResourceOptions(parent=self, provider=provider)
        self.user = mysql.User(
            f"{name}-user",
            user=args.user_name,
            host="%",
            auth_plugin=IAM_AUTH_PLUGIN,
            tls_option="SSL",
            opts=on_database,
        )
        self.grant = mysql.Grant(
            f"{name}-grant",
            user=self.user.user,
            host=self.user.host,
            database=args.database,
            privileges=list(APP_PRIVILEGES),
            opts=on_database,
        )
        identity = aws.get_caller_identity()
        partition = aws.get_partition().partition
        self.connect_policy = aws.iam.Policy(
            f"{name}-connect",
            description=f"Connect to the database as {args.user_name} with IAM authentication",
            policy=pulumi.Output.from_input(args.cluster_resource_id).apply(
                lambda resource_id: connect_policy(partition, args.region, identity.account_id, resource_id, args.user_name)
            ),
            tags=args.tags,
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.register_outputs({"user": self.user.user, "connectPolicyArn": self.connect_policy.arn})
