"""moto's server on 127.0.0.1 holding a cluster like dev's, for trying `ops` without AWS
(docs/local-ops.md; tests/project/test_docs_commands.py runs it as the page does):

    .venv/bin/python tests/ops/local_aws.py --port 5000 &

It serves until interrupted (Ctrl-C, or `kill` of its process id) and keeps everything in memory.
Only the server it starts is called, at 127.0.0.1: nothing here can reach an AWS account.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import signal
import sys
import threading
from typing import Any

import boto3

CLUSTER = "aurora-dev"
WRITER = f"{CLUSTER}-instance-1"
REGION = "us-east-1"
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


def create_dev_like_cluster(rds: Any) -> None:
    """dev's shape (components/aurora_cluster.py): Serverless v2 from 0 to 4 ACU, an RDS-managed master
    password, the Data API on, one db.serverless writer."""
    rds.create_db_cluster(
        DBClusterIdentifier=CLUSTER,
        Engine="aurora-mysql",
        EngineVersion="8.0.mysql_aurora.3.10.5",
        MasterUsername="admin",
        ManageMasterUserPassword=True,
        ServerlessV2ScalingConfiguration={"MinCapacity": 0, "MaxCapacity": 4, "SecondsUntilAutoPause": 300},
        EnableHttpEndpoint=True,
    )
    rds.create_db_instance(
        DBInstanceIdentifier=WRITER, DBClusterIdentifier=CLUSTER, Engine="aurora-mysql", DBInstanceClass="db.serverless"
    )


def switch_data_api_on(cluster: str, region: str = REGION) -> None:
    """Turn the Data API on for a cluster moto holds in this process, as AWS does for CreateDBCluster
    EnableHttpEndpoint: moto 5 drops EnableHttpEndpoint for every cluster but Serverless v1 (its
    DBCluster.enable_http_endpoint setter) and has no EnableHttpEndpoint call."""
    from moto.core.models import DEFAULT_ACCOUNT_ID
    from moto.rds.models import rds_backends

    rds_backends[DEFAULT_ACCOUNT_ID][region].clusters[cluster]._enable_http_endpoint = True


def serve(port: int, stop: threading.Event) -> None:
    """Start the server with the cluster, say where it is, and serve until `stop` is set."""
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request on the terminal ops runs in
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        endpoint = f"http://127.0.0.1:{port}"
        create_dev_like_cluster(boto3.client("rds", region_name=REGION, endpoint_url=endpoint, **CREDENTIALS))
        switch_data_api_on(CLUSTER)
        print(f"moto's server is on {endpoint} with cluster {CLUSTER} (Data API on); stop it with Ctrl-C", flush=True)
        stop.wait()
    finally:
        server.stop()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="moto's server on 127.0.0.1 with a cluster like dev's")
    parser.add_argument("--port", type=int, default=5000, help="TCP port on 127.0.0.1 (default 5000)")
    port = parser.parse_args(argv).port
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C ends it as SIGTERM does
        serve(port, stop)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
