"""Stack outputs that are text for people: how to reach the database."""

from __future__ import annotations

import json
import shlex

import pulumi

from .aurora_cluster import AuroraCluster
from .client_host import ClientHost

RDS_CA_BUNDLE_URL = "https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem"
LOCAL_PORT = 3307


def connect_text(
    region: str,
    endpoint: str,
    port: int,
    user: str,
    cluster_arn: str,
    secret_arn: str,
    instance_id: str | None,
    data_api: bool,
    global_writer_endpoint: str | None = None,
) -> str:
    """Commands a user pastes into an interactive bash. Every value is shell-quoted: a managed
    secret's ARN holds `rds!cluster-...`, which bash's history expansion would rewrite in double
    quotes or bare. The client flags differ by client: MySQL's `mysql` takes `--ssl-mode`, which
    MariaDB's rejects as an unknown variable; MariaDB's takes `--ssl`, which MySQL 8.0 removed;
    `--ssl-ca` is common to both."""
    q = shlex.quote
    lines = []
    if instance_id:
        forward = {"host": [endpoint], "portNumber": [str(port)], "localPortNumber": [str(LOCAL_PORT)]}
        local = f"mysql --host=127.0.0.1 --port={LOCAL_PORT} --user={q(user)} --password --ssl-ca=global-bundle.pem"
        lines += [
            "# Open a shell on the client host (no SSH, no inbound ports):",
            f"aws ssm start-session --region {q(region)} --target {q(instance_id)}",
            "# Then, on the host, connect over verified TLS (password read from Secrets Manager):",
            "aurora-mysql            # writer;  aurora-mysql --reader for the reader endpoint",
            "# Or forward a local port from your laptop through the host:",
            f"aws ssm start-session --region {q(region)} --target {q(instance_id)} "
            "--document-name AWS-StartPortForwardingSessionToRemoteHost "
            f"--parameters {q(json.dumps(forward, separators=(',', ':')))}",
            "# and, in another terminal, connect over TLS with the RDS CA bundle (`mysql --version` names your client):",
            f"curl -fsSLO {RDS_CA_BUNDLE_URL}",
            "# MySQL's client: the chain is verified (the certificate's name cannot match 127.0.0.1)",
            f"{local} --ssl-mode=VERIFY_CA",
            "# MariaDB's client: encrypted; its certificate check also compares the name, so it stays off through",
            "# the tunnel, which Session Manager itself authenticates",
            f"{local} --ssl",
        ]
    if global_writer_endpoint:
        lines += [
            "# Global Database: applications write through the global writer endpoint, which Aurora points at the",
            "# writer of whichever cluster is primary, also after a switchover or failover (the client host above",
            "# reaches this region's cluster only). Give applications this host name (same port, TLS required):",
            f"#   {global_writer_endpoint}",
        ]
    if data_api:
        lines += [
            "# Query through the RDS Data API from anywhere with AWS credentials:",
            f"aws rds-data execute-statement --region {q(region)} --resource-arn {q(cluster_arn)} "
            f"--secret-arn {q(secret_arn)} --sql {q('SELECT * FROM tutorial.planet')}",
        ]
    return "\n".join(lines)


def connect_instructions(
    region: str,
    data_api: bool,
    database: AuroraCluster,
    client: ClientHost | None,
    global_writer_endpoint: pulumi.Output[str] | None = None,
) -> pulumi.Output[str]:
    """`global_writer_endpoint`: the Global Database's writer endpoint in global mode, else None."""
    instance_id = client.instance_id if client is not None else None
    return pulumi.Output.all(
        database.endpoint,
        database.port,
        database.arn,
        database.secret_arn,
        instance_id,
        database.master_username,
        global_writer_endpoint,
    ).apply(
        lambda values: connect_text(region, values[0], values[1], values[5], values[2], values[3], values[4], data_api, values[6])
    )
