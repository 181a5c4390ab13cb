"""AppUser: an application user with privileges on `tutorial` only, through pulumi-mysql.

The user signs in with IAM database authentication (`AWSAuthenticationPlugin`), so no password
exists for it; the IAM policy this component creates is what an application's role attaches to
connect as it. The MySQL provider itself must sign in as the master user: it reads the current
master password from the cluster's managed secret at deploy time and keeps it as a Pulumi secret
(encrypted in the state). That is why the whole component is off unless `aurora:appUser` is set.
"""

# No `from __future__ import annotations`: Pulumi's analyzer reads the args and outputs as types.
import json
from typing import NotRequired, TypedDict

import pulumi
import pulumi_aws as aws
import pulumi_mysql as mysql

from settings import checks

from .arg_rules import Rule, check_tags, refuse_bad_args
from .package_identity import released_identity, type_token

IAM_AUTH_PLUGIN = "AWSAuthenticationPlugin"
APP_PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "DELETE")


class AppUserArgs(TypedDict):
    """The cluster, how to reach it, and the user to create; a dict from the program and from the package."""

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
    database: NotRequired[str]
    """The only database the user may use; default `tutorial` (the workshop's sample data)."""
    tags: NotRequired[dict[str, str]]
    """Tags for the IAM policy; default none."""


# Each arg's rule is its setting's (settings/model.py `AppUserConfig`).
APP_USER_ARG_RULES: dict[str, Rule] = {
    "endpoint": checks.check_endpoint,
    "region": checks.check_region,
    "user_name": checks.check_mysql_user,
    "tags": check_tags,
}
DEFAULT_DATABASE = "tutorial"


def connect_policy(partition: str, region: str, account: str, cluster_resource_id: str, user: str) -> str:
    """IAM policy allowing `rds-db:connect` as this one database user of this one cluster."""
    resource = f"arn:{partition}:rds-db:{region}:{account}:dbuser:{cluster_resource_id}/{user}"
    return json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "rds-db:connect", "Resource": resource}]}
    )


class AppUser(pulumi.ComponentResource):
    """An IAM-authenticated MySQL user with DML privileges on one database."""

    user_name: pulumi.Output[str]
    """The MySQL user, signing in with IAM database authentication."""
    connect_policy_arn: pulumi.Output[str]
    """The IAM policy to attach to whoever connects as the user (`rds-db:connect`)."""

    def __init__(self, name: str, args: AppUserArgs, opts: pulumi.ResourceOptions | None = None):
        refuse_bad_args("AppUser", args, APP_USER_ARG_RULES)
        super().__init__(type_token("AppUser"), name, None, released_identity(opts, "aurora:database:AppUser"))
        master_password = aws.secretsmanager.get_secret_version_output(secret_id=args["secret_arn"]).secret_string.apply(
            lambda text: json.loads(text)["password"]
        )
        provider = mysql.Provider(
            f"{name}-mysql",
            endpoint=args["endpoint"],
            username=args["master_username"],
            password=pulumi.Output.secret(master_password),
            # The server requires TLS; the certificate's name cannot match a forwarded 127.0.0.1, so
            # it is not verified at all. The SSM tunnel carrying it is encrypted and authenticated.
            tls="skip-verify",
            opts=pulumi.ResourceOptions(parent=self),
        )
        on_database = pulumi.ResourceOptions(parent=self, provider=provider)
        # The children, for the program (not outputs of the package).
        self.user: mysql.User = mysql.User(
            f"{name}-user",
            user=args["user_name"],
            host="%",
            auth_plugin=IAM_AUTH_PLUGIN,
            tls_option="SSL",
            opts=on_database,
        )
        self.grant: mysql.Grant = mysql.Grant(
            f"{name}-grant",
            user=self.user.user,
            host=self.user.host,
            database=args.get("database", DEFAULT_DATABASE),
            privileges=list(APP_PRIVILEGES),
            opts=on_database,
        )
        identity = aws.get_caller_identity()
        partition = aws.get_partition().partition
        self.connect_policy: aws.iam.Policy = aws.iam.Policy(
            f"{name}-connect",
            description=f"Connect to the database as {args['user_name']} with IAM authentication",
            policy=pulumi.Output.from_input(args["cluster_resource_id"]).apply(
                lambda resource_id: connect_policy(partition, args["region"], identity.account_id, resource_id, args["user_name"])
            ),
            tags=args.get("tags", {}),
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.user_name, self.connect_policy_arn = self.user.user, self.connect_policy.arn
        self.register_outputs({"user": self.user_name, "connectPolicyArn": self.connect_policy_arn})
