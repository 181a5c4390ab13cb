# Client host set-up (Amazon Linux 2023). The lines above this one, written by the ClientHost
# component, export AURORA_ENDPOINT, AURORA_READER_ENDPOINT, AURORA_PORT, AURORA_USER,
# AURORA_SECRET_ARN and AWS_REGION.
set -euo pipefail

# The MariaDB client provides `mysql` on Amazon Linux 2023.
dnf install -y mariadb105 jq

# RDS CA bundle, so the client verifies the server certificate instead of trusting any TLS peer.
install -d -m 0755 /etc/pki/rds
curl -fsSL -o /etc/pki/rds/global-bundle.pem https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem

cat > /etc/aurora-client.env <<ENV
AURORA_ENDPOINT=${AURORA_ENDPOINT}
AURORA_READER_ENDPOINT=${AURORA_READER_ENDPOINT}
AURORA_PORT=${AURORA_PORT}
AURORA_USER=${AURORA_USER}
AURORA_SECRET_ARN=${AURORA_SECRET_ARN}
AWS_REGION=${AWS_REGION}
ENV

# `aurora-mysql [--reader] [mysql args...]`: connect as the master user over verified TLS, with
# the password read from Secrets Manager at connect time (it is never written to disk).
cat > /usr/local/bin/aurora-mysql <<'SCRIPT'
#!/bin/bash
set -euo pipefail
source /etc/aurora-client.env
host="$AURORA_ENDPOINT"
if [ "${1:-}" = "--reader" ]; then host="$AURORA_READER_ENDPOINT"; shift; fi
MYSQL_PWD="$(aws secretsmanager get-secret-value --region "$AWS_REGION" \
  --secret-id "$AURORA_SECRET_ARN" --query SecretString --output text | jq -r .password)"
export MYSQL_PWD
exec mysql --host="$host" --port="$AURORA_PORT" --user="$AURORA_USER" \
  --ssl-ca=/etc/pki/rds/global-bundle.pem --ssl-verify-server-cert "$@"
SCRIPT
chmod 0755 /usr/local/bin/aurora-mysql
