"""`pause-check` against moto (clusters, instances, proxies, parameter groups, CloudWatch metrics)
and botocore's Stubber for what moto lacks or gets wrong: DescribeIntegrations (not implemented),
the Data API switch (moto turns it off for every Serverless v2 cluster), global database
membership with a provisioned reader, refused reads. The conditions are those of the Aurora User
Guide's auto-pause page (ops/pause_check.py names the page and its sections)."""

import json
from datetime import timedelta

import boto3
import pytest
from botocore.awsrequest import AWSResponse

from ops.pause_check import SESSIONS_SQL
from tests.helpers import create_moto_cluster
from tests.ops.ops_harness import NOW, StubSession, run

CLUSTER = "aurora-dev"
WRITER = "aurora-dev-instance-1"
ARN = f"arn:aws:rds:us-east-1:123456789012:cluster:{CLUSTER}"
SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!cluster-1"
MINUTES = 180


def answered(parsed):
    """What a `before-call` handler returns to answer a call without sending it."""
    return AWSResponse(None, 200, {}, None), parsed


def moto_session(integrations=(), sessions=()):
    """A session on moto's RDS and CloudWatch, with the Data API switched on (moto switches it off
    for every non-v1 cluster), DescribeIntegrations answered (moto lacks it) and ExecuteStatement
    answered with `sessions` and recorded."""
    session = boto3.session.Session(region_name="us-east-1")
    statements = []

    def data_api_on(parsed, **_):
        for cluster in parsed.get("DBClusters", []):
            cluster["HttpEndpointEnabled"] = True

    def record(params, **_):
        statements.append(params["sql"])

    def execute(**_):
        columns = ["id", "user", "host", "db", "command", "time", "state"]
        return answered(
            {
                "columnMetadata": [{"name": column, "label": column} for column in columns],
                "records": [
                    [
                        {"isNull": True}
                        if value is None
                        else {"longValue": value}
                        if isinstance(value, int)
                        else {"stringValue": value}
                        for value in row
                    ]
                    for row in sessions
                ],
            }
        )

    session.events.register("after-call.rds.DescribeDBClusters", data_api_on)
    session.events.register("before-call.rds.DescribeIntegrations", lambda **_: answered({"Integrations": list(integrations)}))
    session.events.register("provide-client-params.rds-data.ExecuteStatement", record)
    session.events.register("before-call.rds-data.ExecuteStatement", execute)
    return session, statements


def put_minutes(instance, **series):
    """One point a minute for the last 180 minutes, per metric: `Metric=[value of each minute]`."""
    cloudwatch = boto3.client("cloudwatch", region_name="us-east-1")
    data = [
        {
            "MetricName": metric,
            "Dimensions": [{"Name": "DBInstanceIdentifier", "Value": instance}],
            "Timestamp": NOW - timedelta(minutes=MINUTES - minute),
            "Value": value,
        }
        for metric, values in series.items()
        for minute, value in enumerate(values)
    ]
    for first in range(0, len(data), 1000):
        cloudwatch.put_metric_data(Namespace="AWS/RDS", MetricData=data[first : first + 1000])


def capacity(paused_minutes=range(0), acu=0.5):
    return [0.0 if minute in paused_minutes else acu for minute in range(MINUTES)]


def idle(**overrides):
    """An awake, idle writer: capacity at the minimum, no connections, no attempts."""
    return {
        "ServerlessDatabaseCapacity": capacity(),
        "ACUUtilization": [12.5] * MINUTES,
        "DatabaseConnections": [0] * MINUTES,
        **overrides,
    }


@pytest.fixture
def aws(moto_rds):
    add_parameter_group(moto_rds)
    return moto_rds


def add_parameter_group(rds):
    rds.create_db_cluster_parameter_group(
        DBClusterParameterGroupName="aurora-dev-cluster", DBParameterGroupFamily="aurora-mysql8.0", Description="dev"
    )


def make_cluster(rds, minimum=0.0, version="8.0.mysql_aurora.3.10.5"):
    create_moto_cluster(
        rds,
        CLUSTER,
        EngineVersion=version,
        DBClusterParameterGroupName="aurora-dev-cluster",
        ServerlessV2ScalingConfiguration={"MinCapacity": minimum, "MaxCapacity": 4, "SecondsUntilAutoPause": 300}
        if minimum == 0
        else {"MinCapacity": minimum, "MaxCapacity": 4},
    )
    rds.create_db_instance(
        DBInstanceIdentifier=WRITER, DBClusterIdentifier=CLUSTER, Engine="aurora-mysql", DBInstanceClass="db.serverless"
    )


def pause_check(*options, session=None):
    code, out, err = run(["--cluster", CLUSTER, "--json", "pause-check", *options], session=session)
    assert code == 0, err
    return json.loads(out), err


def condition(result, name):
    return next(c for c in result["conditions"] if c["condition"].startswith(name))


def test_a_writer_that_paused_in_the_window_is_pausing_as_configured(aws):
    make_cluster(aws)
    put_minutes(WRITER, **idle(ServerlessDatabaseCapacity=capacity(paused_minutes=range(60, 101))))
    session, _ = moto_session()
    result, _ = pause_check(session=session)
    assert result["verdict"] == "aurora-dev: pausing as configured (paused 41 of the last 180 minutes)"
    assert [c["state"] for c in result["conditions"] if c["state"] == "blocks"] == []
    assert result["instances"][0]["acu"] == "0-0.5"
    assert result["instances"][0]["pausedMinutes"] == 41


def add_proxy(rds):
    ec2 = boto3.client("ec2", region_name="us-east-1")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{n}.0/24")["Subnet"]["SubnetId"] for n in (1, 2)]
    rds.create_db_proxy(
        DBProxyName="aurora-dev-proxy",
        EngineFamily="MYSQL",
        Auth=[{"AuthScheme": "SECRETS", "SecretArn": SECRET}],
        RoleArn="arn:aws:iam::123456789012:role/proxy",
        VpcSubnetIds=subnets,
    )
    rds.register_db_proxy_targets(DBProxyName="aurora-dev-proxy", DBClusterIdentifiers=[CLUSTER])


def proxied_dev_cluster():
    """Inside mock_aws: the dev cluster behind an RDS Proxy, one or two connections for three hours,
    two sleeping sessions; the session that reads it (the sample in docs/operations.md)."""
    rds = boto3.client("rds", region_name="us-east-1")
    add_parameter_group(rds)
    make_cluster(rds)
    add_proxy(rds)
    put_minutes(
        WRITER,
        **idle(
            DatabaseConnections=[1] * 100 + [2] * 80,
            ConnectionAttempts=[1] + [0] * 99 + [1] + [0] * 79,
            ServerlessDatabaseCapacity=capacity(acu=1),
        ),
    )
    session, _ = moto_session(
        sessions=[
            [812, "admin", "10.0.1.5:51234", "tutorial", "Sleep", 10260, ""],
            [815, "admin", "10.0.2.9:40110", None, "Sleep", 4770, ""],
        ]
    )
    return session


def test_connections_that_came_and_went_do_not_hide_that_the_writer_paused(aws):
    make_cluster(aws)
    put_minutes(
        WRITER,
        **idle(
            ServerlessDatabaseCapacity=capacity(paused_minutes=range(60, 101)),
            DatabaseConnections=[2 if minute < 50 else 0 for minute in range(MINUTES)],
        ),
    )
    session, _ = moto_session()
    result, _ = pause_check(session=session)
    assert result["verdict"] == "aurora-dev: pausing as configured (paused 41 of the last 180 minutes)"
    assert condition(result, "open connections")["state"] == "blocks"


def test_open_connections_and_a_proxy_are_named_in_the_verdict(aws):
    make_cluster(aws)
    add_proxy(aws)
    put_minutes(WRITER, **idle(DatabaseConnections=[1] * 100 + [2] * 80))
    session, _ = moto_session()
    result, _ = pause_check(session=session)
    assert result["verdict"] == (
        "aurora-dev: not pausing: 2 open connections (max in the last 3 h), RDS Proxy aurora-dev-proxy targets it"
    )
    proxy = condition(result, "RDS Proxy")
    assert (proxy["state"], proxy["keepsAwake"]) == ("blocks", "every instance")


def test_a_minimum_capacity_above_zero_cannot_pause(aws):
    make_cluster(aws, minimum=0.5)
    put_minutes(WRITER, **idle())
    session, _ = moto_session()
    result, _ = pause_check(session=session)
    assert result["verdict"] == "aurora-dev: cannot pause: minCapacity is 0.5"
    assert result["capacityRange"] == "0.5-4 ACU"


def test_an_engine_before_3_08_cannot_pause(aws):
    make_cluster(aws, version="8.0.mysql_aurora.3.07.1")
    put_minutes(WRITER, **idle())
    session, _ = moto_session()
    result, _ = pause_check(session=session)
    assert result["verdict"] == "aurora-dev: cannot pause: engine 8.0.mysql_aurora.3.07.1 predates auto-pause (3.08.0)"


def test_an_aurora_mysql_8_4_cluster_pauses_like_3_08_and_later(aws):
    """Aurora User Guide, "Aurora Serverless v2 capacity" (the version table the auto-pause page points
    to): a minimum of 0 ACU from Aurora MySQL 3.08.0 on and on every Aurora MySQL 8.4 release."""
    make_cluster(aws, version="8.4.mysql_aurora.8.4.7")
    put_minutes(WRITER, **idle(ServerlessDatabaseCapacity=capacity(paused_minutes=range(60, 101))))
    session, _ = moto_session()
    result, _ = pause_check(session=session)
    engine = condition(result, "engine version (Aurora MySQL 3.08.0 or later, or 8.4)")
    assert (engine["state"], engine["evidence"]) == ("clear", "8.4.mysql_aurora.8.4.7: every Aurora MySQL 8.4 release pauses")
    assert result["verdict"] == "aurora-dev: pausing as configured (paused 41 of the last 180 minutes)"


def test_an_engine_that_is_not_aurora_mysql_3_or_8_4_is_not_judged(aws):
    make_cluster(aws, version="5.7.mysql_aurora.2.12.4")
    put_minutes(WRITER, **idle())
    session, _ = moto_session()
    result, _ = pause_check(session=session)
    engine = condition(result, "engine version (Aurora MySQL 3.08.0 or later, or 8.4)")
    assert engine["state"] == "not applicable"


def test_binlog_format_on_in_the_cluster_parameter_group_keeps_the_writer_awake(aws):
    make_cluster(aws)
    aws.modify_db_cluster_parameter_group(
        DBClusterParameterGroupName="aurora-dev-cluster",
        Parameters=[{"ParameterName": "binlog_format", "ParameterValue": "ROW", "ApplyMethod": "pending-reboot"}],
    )
    put_minutes(WRITER, **idle())
    session, _ = moto_session()
    result, _ = pause_check(session=session)
    assert result["verdict"] == "aurora-dev: not pausing: binlog replication on (binlog_format ROW)"
    assert condition(result, "binlog replication")["keepsAwake"] == "the writer and tier 0-1 readers"


def test_a_zero_etl_integration_from_the_cluster_keeps_the_writer_awake(aws):
    make_cluster(aws)
    put_minutes(WRITER, **idle())
    other = {"SourceArn": "arn:aws:rds:us-east-1:123456789012:cluster:other", "IntegrationName": "other-to-redshift"}
    session, _ = moto_session(integrations=[{"SourceArn": ARN, "IntegrationName": "dev-to-redshift"}, other])
    result, _ = pause_check(session=session)
    assert result["verdict"] == "aurora-dev: not pausing: zero-ETL integration dev-to-redshift"


def test_sessions_are_read_through_the_data_api_while_the_writer_is_awake(aws):
    make_cluster(aws)
    put_minutes(WRITER, **idle(DatabaseConnections=[0] * 179 + [1]))
    session, statements = moto_session(sessions=[[812, "admin", "10.0.1.5:51234", "tutorial", "Sleep", 1260, ""]])
    result, _ = pause_check(session=session)
    assert statements == [SESSIONS_SQL]
    assert result["sessions"] == [
        {"id": 812, "user": "admin", "host": "10.0.1.5:51234", "db": "tutorial", "command": "Sleep", "time": 1260, "state": ""}
    ]
    assert result["verdict"] == (
        "aurora-dev: not pausing: 1 open connection (max in the last 3 h), 1 open session (admin@10.0.1.5)"
    )
    assert "restarted the writer's idle timer" in condition(result, "sessions")["evidence"]


def test_a_paused_writer_is_not_resumed_to_read_its_sessions_unless_asked(aws):
    make_cluster(aws)
    put_minutes(WRITER, **idle(ServerlessDatabaseCapacity=capacity(paused_minutes=range(170, 180))))
    session, statements = moto_session()
    result, err = pause_check(session=session)
    assert statements == []
    assert result["sessions"] == (
        "not queried: the writer's last minute was paused, and a Data API statement would resume it "
        "(--sessions always queries anyway)"
    )
    assert result["instances"][0]["lastMinute"] == "paused"

    result, err = pause_check("--sessions", "always", session=session)
    assert statements == [SESSIONS_SQL]
    assert "this resumes a paused writer" in err
    assert result["sessions"].startswith("none")


def test_sessions_never_sends_no_statement(aws):
    make_cluster(aws)
    put_minutes(WRITER, **idle())
    session, statements = moto_session()
    result, _ = pause_check("--sessions", "never", session=session)
    assert statements == []
    assert result["sessions"] == "not queried (--sessions never)"


def test_connection_attempts_alone_explain_a_writer_that_never_paused(aws):
    make_cluster(aws)
    put_minutes(WRITER, **idle(ConnectionAttempts=[1 if minute % 4 == 0 else 0 for minute in range(MINUTES)]))
    session, _ = moto_session()
    result, _ = pause_check(session=session)
    assert result["verdict"] == (
        "aurora-dev: not pausing: 45 connection attempts in the last 3 h "
        "(each one restarts the idle timer; look for Data API or Lambda callers)"
    )


def test_hours_sets_the_window(aws):
    make_cluster(aws)
    put_minutes(WRITER, **idle(ServerlessDatabaseCapacity=capacity(paused_minutes=range(100, 130))))
    session, _ = moto_session()
    result, _ = pause_check("--hours", "1", session=session)
    assert result["verdict"] == "aurora-dev: pausing as configured (paused 10 of the last 60 minutes)"
    assert result["window"] == "2026-11-26T11:00:00+00:00 to 2026-11-26T12:00:00+00:00 (1 h, 60-second points)"


@pytest.mark.parametrize("hours", ["0", "nan", "73", "-1"])
def test_hours_outside_0_to_72_is_a_usage_error(hours):
    code, out, err = run(["--cluster", CLUSTER, "pause-check", "--hours", hours])
    assert (code, out, err.count("\n")) == (2, "", 1)
    assert "give hours above 0 and at most 72" in err


def test_without_a_cluster_it_is_a_usage_error():
    code, _, err = run(["pause-check"])
    assert code == 2 and err == "error: say which cluster: --cluster ID or --stack NAME\n"


def test_the_text_output_starts_with_the_verdict_line(aws):
    make_cluster(aws, minimum=0.5)
    put_minutes(WRITER, **idle())
    session, _ = moto_session()
    code, out, err = run(["--cluster", CLUSTER, "pause-check"], session=session)
    assert code == 0, err
    assert out.splitlines()[0] == "aurora-dev: cannot pause: minCapacity is 0.5"
    assert out.splitlines()[1].split() == ["cluster", "aurora-dev"]


# --- Stubber: what moto cannot hold --------------------------------------------------------------

MEMBERS = [
    {"DBInstanceIdentifier": WRITER, "IsClusterWriter": True, "PromotionTier": 0},
    {"DBInstanceIdentifier": "aurora-dev-instance-2", "IsClusterWriter": False, "PromotionTier": 1},
    {"DBInstanceIdentifier": "aurora-dev-instance-3", "IsClusterWriter": False, "PromotionTier": 2},
]
CLASSES = {WRITER: "db.serverless", "aurora-dev-instance-2": "db.r7g.large", "aurora-dev-instance-3": "db.serverless"}


def stub_cluster(rds, **fields):
    described = {
        "DBClusterIdentifier": CLUSTER,
        "DBClusterArn": ARN,
        "Status": "available",
        "Engine": "aurora-mysql",
        "EngineVersion": "8.0.mysql_aurora.3.10.5",
        "DBClusterParameterGroup": "aurora-dev-cluster",
        "DBClusterMembers": MEMBERS,
        "ServerlessV2ScalingConfiguration": {"MinCapacity": 0.0, "MaxCapacity": 4.0, "SecondsUntilAutoPause": 300},
        "HttpEndpointEnabled": False,
        **fields,
    }
    rds.add_response("describe_db_clusters", {"DBClusters": [described]}, {"DBClusterIdentifier": CLUSTER})
    rds.add_response(
        "describe_db_instances",
        {"DBInstances": [{"DBInstanceIdentifier": name, "DBInstanceClass": klass} for name, klass in CLASSES.items()]},
        {"Filters": [{"Name": "db-cluster-id", "Values": [CLUSTER]}]},
    )


def stub_metrics(cloudwatch, reader_connections=0.0):
    times = [NOW - timedelta(minutes=MINUTES - minute) for minute in range(MINUTES)]
    results = []
    for index, name in enumerate(CLASSES):
        connections = reader_connections if name == "aurora-dev-instance-3" else 0.0
        for key, value in (
            ("connections", connections),
            ("attempts", 0.0),
            ("acu_min", 0.5),
            ("acu_max", 1.0),
            ("utilization", 20.0),
        ):
            provisioned = CLASSES[name] != "db.serverless" and key.startswith(("acu", "util"))
            results.append(
                {
                    "Id": f"i{index}_{key}",
                    "Timestamps": [] if provisioned else times,
                    "Values": [] if provisioned else [value] * MINUTES,
                }
            )
    cloudwatch.add_response("get_metric_data", {"MetricDataResults": results})


def stub_rest(rds, global_member=None, binlog="OFF", integrations=(), proxies_refused=False):
    if proxies_refused:
        rds.add_client_error("describe_db_proxies", "AccessDenied", "not allowed: rds:DescribeDBProxies", 403)
    else:
        rds.add_response("describe_db_proxies", {"DBProxies": []}, {})
    members = [{"DBClusterArn": ARN, **global_member}] if global_member else []
    rds.add_response(
        "describe_global_clusters",
        {"GlobalClusters": [{"GlobalClusterIdentifier": "aurora-global", "GlobalClusterMembers": members}]},
        {"GlobalClusterIdentifier": "aurora-global"} if global_member else {},
    )
    rds.add_response(
        "describe_db_cluster_parameters",
        {"Parameters": [{"ParameterName": "binlog_format", "ParameterValue": binlog}]},
        {"DBClusterParameterGroupName": "aurora-dev-cluster"},
    )
    rds.add_response("describe_integrations", {"Integrations": list(integrations)}, {})


def test_a_global_primary_with_a_provisioned_reader_names_both_and_which_instances_stay_awake(stub):
    rds, rds_stubber = stub("rds")
    cloudwatch, cloudwatch_stubber = stub("cloudwatch")
    stub_cluster(rds_stubber, GlobalClusterIdentifier="aurora-global")
    stub_metrics(cloudwatch_stubber)
    stub_rest(rds_stubber, global_member={"IsWriter": True})
    code, out, err = run(["--cluster", CLUSTER, "--json", "pause-check"], StubSession(rds=rds, cloudwatch=cloudwatch))
    assert code == 0, err
    result = json.loads(out)
    assert result["verdict"] == (
        "aurora-dev: not pausing: provisioned instance aurora-dev-instance-2 (db.r7g.large), "
        "primary of global database aurora-global"
    )
    assert [(row["instance"], row["pauses"]) for row in result["instances"]] == [
        (WRITER, "when the whole cluster is idle"),
        ("aurora-dev-instance-2", "never (provisioned)"),
        ("aurora-dev-instance-3", "alone"),
    ]
    assert condition(result, "Aurora Global Database")["keepsAwake"] == "the writer and tier 0-1 readers"
    assert condition(result, "sessions")["evidence"] == (
        "not queried: the Data API is off on cluster 'aurora-dev': turn it on with aws rds enable-http-endpoint "
        f"--resource-arn {ARN} (a stack's own cluster: aurora:dataApi: true, then pulumi up)"
    )


def test_a_secondary_being_upgraded_with_a_replica_and_a_busy_reader_names_each_cause(stub):
    rds, rds_stubber = stub("rds")
    cloudwatch, cloudwatch_stubber = stub("cloudwatch")
    stub_cluster(
        rds_stubber, GlobalClusterIdentifier="aurora-global", Status="upgrading", ReadReplicaIdentifiers=["aurora-dev-replica"]
    )
    stub_metrics(cloudwatch_stubber, reader_connections=3.0)
    stub_rest(rds_stubber, global_member={"IsWriter": False})
    code, out, err = run(["--cluster", CLUSTER, "--json", "pause-check"], StubSession(rds=rds, cloudwatch=cloudwatch))
    assert code == 0, err
    result = json.loads(out)
    assert result["verdict"] == (
        "aurora-dev: not pausing: provisioned instance aurora-dev-instance-2 (db.r7g.large), cluster status is upgrading, "
        "3 open connections (max in the last 3 h), secondary of global database aurora-global, "
        "binlog replicated to aurora-dev-replica"
    )
    global_database = condition(result, "Aurora Global Database")
    assert (global_database["keepsAwake"], global_database["evidence"]) == (
        "every instance",
        "secondary cluster of aurora-global: secondary clusters never pause",
    )
    connections = condition(result, "open connections")
    assert (connections["keepsAwake"], connections["evidence"]) == (
        "every instance",
        "aurora-dev-instance-3 up to 3 in the last 3 h (a reader's connections keep the writer awake)",
    )


def test_a_refused_read_is_named_and_never_reported_clear(stub):
    rds, rds_stubber = stub("rds")
    cloudwatch, cloudwatch_stubber = stub("cloudwatch")
    stub_cluster(rds_stubber)
    stub_metrics(cloudwatch_stubber)
    stub_rest(rds_stubber, proxies_refused=True)
    code, out, err = run(["--cluster", CLUSTER, "--json", "pause-check"], StubSession(rds=rds, cloudwatch=cloudwatch))
    assert code == 0, err
    result = json.loads(out)
    proxy = condition(result, "RDS Proxy")
    assert (proxy["state"], proxy["evidence"]) == ("not read", "not read: AccessDenied")
    assert result["couldNotRead"] == [
        {
            "what": "RDS proxies (rds:DescribeDBProxies, rds:DescribeDBProxyTargets)",
            "reason": "AccessDenied: not allowed: rds:DescribeDBProxies",
        }
    ]


def test_a_cluster_that_is_not_found_is_one_error_line(aws):
    code, out, err = run(["--cluster", "missing", "pause-check"])
    assert (code, out) == (1, "")
    assert err == "error: cluster 'missing' not found in this account in region us-east-1: check --cluster and --region\n"


@pytest.mark.mariadb
@pytest.mark.subprocess
def test_the_sessions_query_lists_other_connections_and_not_its_own(mariadb):
    other = mariadb.connect(database=None)
    mine = mariadb.connect()
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT CONNECTION_ID()")
            other_id = cursor.fetchone()[0]
        with mine.cursor() as cursor:
            cursor.execute("SELECT CONNECTION_ID()")
            my_id = cursor.fetchone()[0]
            cursor.execute(SESSIONS_SQL)
            columns = [column[0].lower() for column in cursor.description]
            ids = [row[0] for row in cursor.fetchall()]
    finally:
        other.close()
        mine.close()
    assert columns == ["id", "user", "host", "db", "command", "time", "state"]
    assert other_id in ids and my_id not in ids
