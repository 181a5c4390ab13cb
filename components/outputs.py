"""Stack outputs that are text for people: how to reach the database."""

from __future__ import annotations

import pulumi

from .aurora_cluster import AuroraCluster
from .client_host import ClientHost
from .settings import StackSettings


def connect_text(
    region: str,
    endpoint: str,
    port: int,
    user: str,
    cluster_arn: str,
    secret_arn: str,
    instance_id: str | None,
    data_api: bool,
) -> str:
    lines = []
    if instance_id:
        lines += [
            "# Open a shell on the client host (no SSH, no inbound ports):",
            f"aws ssm start-session --region {region} --target {instance_id}",
            "# Then, on the host, connect over verified TLS (password read from Secrets Manager):",
            "aurora-mysql            # writer;  aurora-mysql --reader for the reader endpoint",
            "# Or forward a local port from your laptop through the host:",
            f"aws ssm start-session --region {region} --target {instance_id} "
            "--document-name AWS-StartPortForwardingSessionToRemoteHost "
            f'--parameters \'{{"host":["{endpoint}"],"portNumber":["{port}"],"localPortNumber":["3307"]}}\'',
            f"mysql --host 127.0.0.1 --port 3307 --user {user} --password --ssl-mode=REQUIRED",
        ]
    if data_api:
        lines += [
            "# Query through the RDS Data API from anywhere with AWS credentials:",
            f"aws rds-data execute-statement --region {region} --resource-arn {cluster_arn} "
            f"--secret-arn {secret_arn} --sql 'SELECT * FROM tutorial.planet'",
        ]
    return "\n".join(lines)


def connect_instructions(settings: StackSettings, database: AuroraCluster, client: ClientHost | None) -> pulumi.Output[str]:
    instance_id = client.instance_id if client is not None else None
    return pulumi.Output.all(
        database.endpoint, database.port, database.arn, database.secret_arn, instance_id, database.master_username
    ).apply(
        lambda values: connect_text(
            settings.region, values[0], values[1], values[5], values[2], values[3], values[4], settings.data_api
        )
    )
