"""The inputs whose change replaces a resource, for the types this project declares: the AWS provider's
`ForceNew` attributes (hashicorp/terraform-provider-aws, each resource's schema under
internal/service/; pulumi-aws bridges them unchanged), in Pulumi's names, plus `region`, the per-resource
region argument of pulumi-aws 7, which moves a resource to another region.

Two readers: `plan/diff.py` marks a change of one as a replacement; `settings/adoption.py` refuses to
adopt a cluster whose live value of one differs from the program's (an import followed by a
replacement). tests/plan/test_diff.py checks the table against the provider's schema.
"""

from __future__ import annotations

REPLACING_PROPERTIES: dict[str, frozenset[str]] = {
    "aws:rds/cluster:Cluster": frozenset(
        {
            "clusterIdentifier",
            "availabilityZones",
            "databaseName",
            "dbSubnetGroupName",
            "engine",
            "engineMode",
            "kmsKeyId",
            "masterUsername",
            "snapshotIdentifier",
            "sourceRegion",
            "storageEncrypted",
            "restoreToPointInTime",
            "s3Import",
            "region",
        }
    ),
    "aws:rds/clusterInstance:ClusterInstance": frozenset(
        {
            "identifier",
            "clusterIdentifier",
            "engine",
            "availabilityZone",
            "dbSubnetGroupName",
            "region",
        }
    ),
    "aws:rds/globalCluster:GlobalCluster": frozenset(
        {
            "globalClusterIdentifier",
            "sourceDbClusterIdentifier",
            "engine",
            "databaseName",
            "storageEncrypted",
            "region",
        }
    ),
    "aws:rds/clusterSnapshot:ClusterSnapshot": frozenset({"dbClusterIdentifier", "dbClusterSnapshotIdentifier", "region"}),
    "aws:kms/key:Key": frozenset({"region", "keyUsage", "customerMasterKeySpec", "multiRegion"}),
    "aws:backup/vault:Vault": frozenset({"name", "kmsKeyArn", "region"}),
    "aws:cloudwatch/logGroup:LogGroup": frozenset({"name", "region"}),
    "aws:rds/subnetGroup:SubnetGroup": frozenset({"name", "region"}),
    "aws:rds/clusterParameterGroup:ClusterParameterGroup": frozenset({"name", "family", "region"}),
    "aws:ec2/securityGroup:SecurityGroup": frozenset({"name", "vpcId", "description", "region"}),
    "aws:ec2/instance:Instance": frozenset({"ami", "subnetId", "availabilityZone", "associatePublicIpAddress", "region"}),
    "aws:cloudwatch/metricAlarm:MetricAlarm": frozenset({"name", "region"}),
    "aws:cloudwatch/dashboard:Dashboard": frozenset({"dashboardName", "region"}),
    # rds/proxy.go (a new `name` is an in-place ModifyDBProxy NewDBProxyName), proxy_endpoint.go,
    # proxy_target.go, proxy_default_target_group.go.
    "aws:rds/proxy:Proxy": frozenset({"engineFamily", "vpcSubnetIds", "region"}),
    "aws:rds/proxyEndpoint:ProxyEndpoint": frozenset(
        {"dbProxyName", "dbProxyEndpointName", "targetRole", "vpcSubnetIds", "region"}
    ),
    "aws:rds/proxyTarget:ProxyTarget": frozenset({"dbProxyName", "targetGroupName", "dbClusterIdentifier", "region"}),
    "aws:rds/proxyDefaultTargetGroup:ProxyDefaultTargetGroup": frozenset({"dbProxyName", "region"}),
    # secretsmanager/secret.go: name and name_prefix are ForceNew.
    "aws:secretsmanager/secret:Secret": frozenset({"name", "namePrefix", "region"}),
}
