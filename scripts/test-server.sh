#!/usr/bin/env bash
# Start a throwaway MariaDB on a loopback port for modsl's apply tests.
# Installs mariadb-server from Debian's packages if it is missing (needs root for that).
# Prints the line to eval:  export MODSL_TEST_DSN=mysql://modsl:...@127.0.0.1:PORT
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

if [ -f "$dir/pid" ] && kill -0 "$(cat "$dir/pid")" 2>/dev/null; then
    echo "export MODSL_TEST_DSN=mysql://modsl:$password@127.0.0.1:$port"
    exit 0
fi

rm -rf "$dir" && mkdir -p "$dir/data"
mariadb-install-db --no-defaults --datadir="$dir/data" --user="$(id -un)" \
    --auth-root-authentication-method=normal >"$dir/install.log" 2>&1
"$server" --no-defaults --datadir="$dir/data" --user="$(id -un)" --bind-address=127.0.0.1 \
    --port="$port" --socket="$dir/sock" --pid-file="$dir/pid" --skip-name-resolve \
    --log-error="$dir/error.log" >/dev/null 2>&1 &

for _ in $(seq 1 60); do
    "$client" --no-defaults -uroot --socket="$dir/sock" -e "select 1" >/dev/null 2>&1 && break
    sleep 0.5
done
"$client" --no-defaults -uroot --socket="$dir/sock" <<SQL >&2
CREATE USER IF NOT EXISTS 'modsl'@'127.0.0.1' IDENTIFIED BY '$password';
GRANT ALL PRIVILEGES ON *.* TO 'modsl'@'127.0.0.1';
FLUSH PRIVILEGES;
SQL
echo "export MODSL_TEST_DSN=mysql://modsl:$password@127.0.0.1:$port"
