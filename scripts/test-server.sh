#!/usr/bin/env bash
# Start a throwaway MariaDB on a loopback port for modsl's apply tests.
# Installs mariadb-server from Debian's packages if it is missing (needs root for that).
# Prints the lines to eval:  export MODSL_TEST_DSN=mysql://modsl:...@127.0.0.1:PORT
#                            export MODSL_TEST_CA=DIR/tls/ca.pem  (the server speaks TLS too)
# Usage:  eval "$(scripts/test-server.sh)"        stop:  scripts/test-server.sh stop
set -euo pipefail

dir="${MODSL_TEST_SERVER_DIR:-/tmp/modsl-test-mariadb}"
port="${MODSL_TEST_SERVER_PORT:-33061}"
password="modsl-test-pw"

if [ "${1:-}" = "stop" ]; then
    [ -f "$dir/pid" ] && kill "$(cat "$dir/pid")" 2>/dev/null || true
    exit 0
fi

if ! command -v mariadbd >/dev/null 2>&1 && [ ! -x /usr/sbin/mariadbd ]; then
    echo "installing mariadb-server ..." >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq mariadb-server >&2
fi
server=$(command -v mariadbd || echo /usr/sbin/mariadbd)
client=$(command -v mariadb || command -v mysql)

if [ -f "$dir/pid" ] && kill -0 "$(cat "$dir/pid")" 2>/dev/null && [ -f "$dir/tls/ca.pem" ]; then
    echo "export MODSL_TEST_CA=$dir/tls/ca.pem"
    echo "export MODSL_TEST_DSN=mysql://modsl:$password@127.0.0.1:$port"
    exit 0
fi

# A server from an older version of this script (no TLS) is replaced.
if [ -f "$dir/pid" ]; then
    kill "$(cat "$dir/pid")" 2>/dev/null || true
    for _ in $(seq 1 20); do kill -0 "$(cat "$dir/pid")" 2>/dev/null || break; sleep 0.25; done
fi
rm -rf "$dir" && mkdir -p "$dir/data" "$dir/tls"
# A CA of our own and a certificate for 127.0.0.1 signed by it, for the TLS tests.
tls="$dir/tls"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=modsl test CA" \
    -keyout "$tls/ca-key.pem" -out "$tls/ca.pem" >/dev/null 2>&1
openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" \
    -keyout "$tls/server-key.pem" -out "$tls/server.csr" >/dev/null 2>&1
printf "subjectAltName=IP:127.0.0.1\n" >"$tls/san.cnf"
openssl x509 -req -in "$tls/server.csr" -CA "$tls/ca.pem" -CAkey "$tls/ca-key.pem" \
    -CAcreateserial -days 2 -extfile "$tls/san.cnf" -out "$tls/server.pem" >/dev/null 2>&1
mariadb-install-db --no-defaults --datadir="$dir/data" --user="$(id -un)" \
    --auth-root-authentication-method=normal >"$dir/install.log" 2>&1
"$server" --no-defaults --datadir="$dir/data" --user="$(id -un)" --bind-address=127.0.0.1 \
    --port="$port" --socket="$dir/sock" --pid-file="$dir/pid" --skip-name-resolve \
    --log-error="$dir/error.log" --ssl-ca="$tls/ca.pem" --ssl-cert="$tls/server.pem" \
    --ssl-key="$tls/server-key.pem" >/dev/null 2>&1 &

for _ in $(seq 1 60); do
    "$client" --no-defaults -uroot --socket="$dir/sock" -e "select 1" >/dev/null 2>&1 && break
    sleep 0.5
done
"$client" --no-defaults -uroot --socket="$dir/sock" <<SQL >&2
CREATE USER IF NOT EXISTS 'modsl'@'127.0.0.1' IDENTIFIED BY '$password';
GRANT ALL PRIVILEGES ON *.* TO 'modsl'@'127.0.0.1' WITH GRANT OPTION;
FLUSH PRIVILEGES;
SQL
echo "export MODSL_TEST_CA=$tls/ca.pem"
echo "export MODSL_TEST_DSN=mysql://modsl:$password@127.0.0.1:$port"
