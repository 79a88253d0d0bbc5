#!/bin/bash
# tools/run.sh: the script behind `make run`.
#
# Runs oauth2-fcgi locally with its demo data:
#   - installs missing Debian packages (as root; otherwise says what to run)
#   - keeps a private PostgreSQL cluster under var/ (unix socket only)
#   - applies the schema, seeds the demo user, client and scopes once
#   - starts lighttpd on http://127.0.0.1:$PORT (default 8080) in the
#     foreground and prints the URLs and the demo password.
# Ctrl-C (or SIGTERM) stops lighttpd, its programs and PostgreSQL.  Running
# it again reuses var/; remove var/ to start from scratch.
#
# Environment:
#   PORT=N          port to listen on (default 8080)
#   OAUTH_BINDIR=D  directory holding cgi-bin/*.fcgi and tools/oauthctl
#                   ("san" for the sanitizer build; default: the tree)
#   OAUTH_VAR=D     state directory (default: var/ in the tree); an
#                   absolute path
#
# As root, PostgreSQL runs as the `postgres` user and lighttpd's workers
# as `www-data`, so the tree must be readable by them.
set -euo pipefail

PREFIX=$(cd "$(dirname "$0")/.." && pwd)
VAR=${OAUTH_VAR:-$PREFIX/var}
PORT=${PORT:-8080}
BASE=http://127.0.0.1:$PORT

say() { printf 'run.sh: %s\n' "$*"; }
die() { printf 'run.sh: %s\n' "$*" >&2; exit 1; }

case $PORT in
''|*[!0-9]*) die "PORT must be a number, not '$PORT'" ;;
esac
[ "$PORT" -ge 1 ] && [ "$PORT" -le 65535 ] || die "PORT out of range: $PORT"
# The paths end up in lighttpd's config, in libpq's conninfo and in sed
# expressions: keep them to characters that need no quoting anywhere.
[[ $PREFIX =~ ^[A-Za-z0-9_./+@:-]+$ ]] ||
	die "the tree's path '$PREFIX' must not contain spaces or quotes"
[[ $VAR =~ ^/[A-Za-z0-9_./+@:-]+$ ]] ||
	die "OAUTH_VAR must be an absolute path without spaces or quotes"

case ${OAUTH_BINDIR:-} in
'')  BINDIR=$PREFIX ;;
san) BINDIR=$PREFIX/san ;;
/*)  BINDIR=$OAUTH_BINDIR ;;
*)   BINDIR=$PREFIX/$OAUTH_BINDIR ;;
esac
OAUTHCTL=$BINDIR/tools/oauthctl

# --- packages and build ----------------------------------------------------

"$PREFIX/tools/deps.sh" run

# `make run` has built everything already; called by hand, build first.
if [ -z "${MAKELEVEL:-}" ] && [ -z "${OAUTH_BINDIR:-}" ]; then
	make -C "$PREFIX"
fi
for prog in authorize token me get_user_info revoke introspect grants logout; do
	[ -x "$BINDIR/cgi-bin/$prog.fcgi" ] ||
		die "$BINDIR/cgi-bin/$prog.fcgi is missing: run make"
done
[ -x "$OAUTHCTL" ] || die "$OAUTHCTL is missing: run make"

# --- who runs what ---------------------------------------------------------

# PostgreSQL refuses to run as root, and the web server's workers should
# not either: as root, use the system accounts made for them.
if [ "$(id -u)" -eq 0 ]; then
	PG_USER=postgres
	RUN_USER=www-data
	RUN_GROUP=www-data
	as_pg() { runuser -u "$PG_USER" -- "$@"; }
	runuser -u "$RUN_USER" -- test -x "$BINDIR/cgi-bin/token.fcgi" -a \
	    -r "$PREFIX/htdocs/templates" ||
		die "user $RUN_USER cannot reach $PREFIX; make its parents world-searchable (chmod o+x)"
else
	PG_USER=$(id -un)
	RUN_USER=$PG_USER
	RUN_GROUP=$(id -gn)
	as_pg() { "$@"; }
fi

# Debian keeps the server binaries out of PATH; take the newest version.
PGBIN=
for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V); do
	PGBIN=$d
done
if [ -z "$PGBIN" ]; then
	command -v pg_config >/dev/null || die "PostgreSQL server binaries not found"
	PGBIN=$(pg_config --bindir)
fi
[ -x "$PGBIN/initdb" ] || die "initdb not found in $PGBIN"

PGDATA=$VAR/pg
PGSOCK=$VAR/run
PGPORT=5432
psql_db() { "$PGBIN/psql" -X -q -A -t -h "$PGSOCK" -p "$PGPORT" -U postgres "$@"; }
oauthctl() { OAUTH_CONFIG=$VAR/oauth.conf "$OAUTHCTL" --config "$VAR/oauth.conf" "$@"; }

# --- cleanup on exit -------------------------------------------------------

LIGHTTPD_PID=
PG_STARTED=

# Print yes if any process of process group $1 is still running (zombies,
# which only wait for their parent to reap them, do not count).
group_alive() {
	ps -e -o pgid=,stat= | awk -v g="$1" '$1 == g && $2 !~ /^Z/ { n++ }
	    END { print (n ? "yes" : "") }'
}

stop_lighttpd() {
	local pid=$LIGHTTPD_PID i
	[ -n "$pid" ] || return 0
	LIGHTTPD_PID=
	kill -TERM "$pid" 2>/dev/null || true
	for i in $(seq 50); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	wait "$pid" 2>/dev/null || true
	# lighttpd runs in a process group of its own (set -m below); its
	# programs are in it too.  Make sure none outlives it.
	if [ -n "$(group_alive "$pid")" ]; then
		kill -TERM -- "-$pid" 2>/dev/null || true
		for i in $(seq 30); do
			[ -n "$(group_alive "$pid")" ] || break
			sleep 0.1
		done
		kill -KILL -- "-$pid" 2>/dev/null || true
	fi
}

stop_pg() {
	[ -n "$PG_STARTED" ] || return 0
	PG_STARTED=
	as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w -t 60 stop >/dev/null ||
		say "could not stop PostgreSQL (pid in $PGDATA/postmaster.pid)"
}

cleanup() {
	# Ignored, not reset: a second Ctrl-C must not cut the cleanup short
	# and leave PostgreSQL running (the commands below inherit this).
	trap '' INT TERM
	stop_lighttpd
	stop_pg
	say "stopped"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- var/ --------------------------------------------------------------------

# var/          configuration, secret key, demo credentials (0755)
# var/pg        PostgreSQL data directory, owned by $PG_USER
# var/run       PostgreSQL socket directory, owned by $PG_USER
# var/sock      lighttpd's FastCGI sockets, owned by $RUN_USER
# var/log       logs of PostgreSQL, lighttpd and the programs
# var/www       document root: the RFC 8414 metadata
install -d -m 0755 "$VAR" "$VAR/log" "$VAR/www/.well-known"
install -d -m 0700 -o "$PG_USER" "$PGDATA"
install -d -m 0755 -o "$PG_USER" "$PGSOCK"
install -d -m 0755 -o "$RUN_USER" -g "$RUN_GROUP" "$VAR/sock"
# Log files the servers open after dropping privileges.
touch "$VAR/log/postgresql.log"
chown "$PG_USER" "$VAR/log/postgresql.log"
for f in lighttpd-error.log access.log programs.log; do
	touch "$VAR/log/$f"
	chown "$RUN_USER:$RUN_GROUP" "$VAR/log/$f"
done

# --- PostgreSQL ----------------------------------------------------------------

if [ ! -s "$PGDATA/PG_VERSION" ]; then
	say "creating the PostgreSQL cluster in $PGDATA"
	as_pg "$PGBIN/initdb" -D "$PGDATA" -U postgres -A trust -E UTF8 \
	    --locale=C >"$VAR/log/initdb.log" ||
		die "initdb failed, see $VAR/log/initdb.log"
	echo "include_if_exists = 'oauth-run.conf'" >>"$PGDATA/postgresql.conf"
fi
# Rewritten on every start, so a moved tree still finds its socket.
# No TCP at all: the programs and tools connect through the socket.
cat >"$PGDATA/oauth-run.conf" <<EOF
# written by tools/run.sh on every start
listen_addresses = ''
unix_socket_directories = '$PGSOCK'
port = $PGPORT
EOF
chmod 0644 "$PGDATA/oauth-run.conf"

if as_pg "$PGBIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
	say "PostgreSQL is already running in $PGDATA; using it (stopped at exit)"
else
	say "starting PostgreSQL"
	as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -l "$VAR/log/postgresql.log" \
	    -w -t 60 start >/dev/null ||
		die "PostgreSQL did not start, see $VAR/log/postgresql.log"
fi
PG_STARTED=1

if [ -z "$(psql_db -d postgres -c "SELECT 1 FROM pg_database WHERE datname = 'oauth2'")" ]; then
	"$PGBIN/createdb" -h "$PGSOCK" -p "$PGPORT" -U postgres -E UTF8 oauth2
fi

# --- configuration, schema, demo data ------------------------------------------

if [ ! -e "$VAR/oauth.conf" ]; then
	say "writing $VAR/oauth.conf"
	cat >"$VAR/oauth.conf" <<EOF
# oauth2-fcgi configuration, written by tools/run.sh on its first run.
# Edit freely; it is kept across runs.
pg_dsn = host=$PGSOCK port=$PGPORT dbname=oauth2 user=postgres
secret_key_file = $VAR/secret.key
issuer = $BASE
access_token_ttl = 3600
refresh_token_ttl = 2592000
code_ttl = 600
template_dir = $PREFIX/htdocs/templates
refresh_rotation = on
qq_compat = on
EOF
fi
# A different PORT than last time: follow it.
if ! grep -q "^issuer = $BASE\$" "$VAR/oauth.conf"; then
	say "issuer changed to $BASE"
	sed -i "s|^issuer[[:space:]]*=.*|issuer = $BASE|" "$VAR/oauth.conf"
fi

oauthctl init
# The programs run as $RUN_USER and read both files.
chgrp "$RUN_GROUP" "$VAR/oauth.conf" "$VAR/secret.key"
chmod 0640 "$VAR/oauth.conf" "$VAR/secret.key"

# add_demo_client: (re)register client "demo" for the current port and
# write its credentials where the demo site reads them.
add_demo_client() {
	local out
	out=$(oauthctl client add --id demo --name "演示站点 Demo Site" \
	    --website "$BASE/demo/" --redirect-uri "$BASE/demo/callback.py" \
	    --grants authorization_code,refresh_token \
	    --scopes get_user_info,list_album)
	(umask 077; printf '%s\n' "$out" >"$VAR/demo-client.conf")
	chgrp "$RUN_GROUP" "$VAR/demo-client.conf"
	chmod 0640 "$VAR/demo-client.conf"
	echo "$PORT" >"$VAR/demo-port"
}

# add_sdk_client: the JS SDK page (htdocs/demo/sdk.html), a public client
# whose redirect URI is the page itself.
add_sdk_client() {
	oauthctl client add --id demo-sdk --name "演示站点 JS SDK" --public \
	    --website "$BASE/demo/sdk.html" --redirect-uri "$BASE/demo/sdk.html" \
	    --grants authorization_code --scopes get_user_info >/dev/null
}

if [ ! -e "$VAR/demo-seeded" ]; then
	say "seeding the demo data"
	oauthctl scope add get_user_info --description "获得您的昵称、头像、性别" \
	    --description-en "your nickname, avatar and gender"
	oauthctl scope add list_album --description "获取您的相册列表" \
	    --description-en "your photo albums"
	avatar=/static/avatar-demo.png
	[ -e "$PREFIX/htdocs/static/avatar-demo.svg" ] && avatar=/static/avatar-demo.svg
	password=$(head -c 12 /dev/urandom | base64 | tr '+/' '-_')
	(umask 077; printf '%s\n' "$password" >"$VAR/demo-password")
	printf '%s\n' "$password" |
		oauthctl user add demo --nickname "演示用户" --avatar "$avatar"
	add_demo_client
	touch "$VAR/demo-seeded"
elif [ "$(cat "$VAR/demo-port" 2>/dev/null)" != "$PORT" ]; then
	say "re-registering clients demo and demo-sdk for port $PORT"
	oauthctl client delete demo
	oauthctl client delete demo-sdk >/dev/null 2>&1 || true
	add_demo_client
fi
# Data seeded before the SDK page existed gets its client too.
oauthctl client show demo-sdk >/dev/null 2>&1 || add_sdk_client

# One document under both names: RFC 8414 and OpenID Connect Discovery.
for doc in oauth-authorization-server openid-configuration; do
	oauthctl metadata >"$VAR/www/.well-known/$doc.new"
	mv "$VAR/www/.well-known/$doc.new" "$VAR/www/.well-known/$doc"
	chmod 0644 "$VAR/www/.well-known/$doc"
done

# --- lighttpd ------------------------------------------------------------------

sed -e "s|@PREFIX@|$PREFIX|g" -e "s|@BINDIR@|$BINDIR|g" -e "s|@VAR@|$VAR|g" \
    -e "s|@PORT@|$PORT|g" -e "s|@USER@|$RUN_USER|g" -e "s|@GROUP@|$RUN_GROUP|g" \
    "$PREFIX/lighttpd-example.conf" >"$VAR/lighttpd.conf"
lighttpd -tt -f "$VAR/lighttpd.conf" >/dev/null ||
	die "lighttpd rejects $VAR/lighttpd.conf"

# Job control gives lighttpd a process group of its own: Ctrl-C reaches
# only this script, which then stops lighttpd and its programs in order.
# lighttpd's stderr is the programs' stderr.
set -m
lighttpd -D -f "$VAR/lighttpd.conf" </dev/null >>"$VAR/log/programs.log" 2>&1 &
LIGHTTPD_PID=$!
set +m

# Wait (at most 15 s) until it accepts connections.
up=
for i in $(seq 150); do
	kill -0 "$LIGHTTPD_PID" 2>/dev/null || break
	if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
		up=1
		break
	fi
	sleep 0.1
done
if [ -z "$up" ]; then
	tail -n 5 "$VAR/log/lighttpd-error.log" >&2 || true
	die "lighttpd did not start on port $PORT (is the port in use?)"
fi

# urlencode STRING: percent-encode everything but RFC 3986 unreserved.
urlencode() {
	local s=$1 out= c i
	for ((i = 0; i < ${#s}; i++)); do
		c=${s:i:1}
		case $c in
		[A-Za-z0-9.~_-]) out+=$c ;;
		*) out+=$(printf '%%%02X' "'$c") ;;
		esac
	done
	printf '%s' "$out"
}

cat <<EOF

  oauth2-fcgi is running on $BASE

  Demo site:      $BASE/demo/   (JS SDK: $BASE/demo/sdk.html)
  Authorize:      $BASE/oauth2.0/authorize?response_type=code&client_id=demo&redirect_uri=$(urlencode "$BASE/demo/callback.py")&scope=get_user_info&state=demo
  Your grants:    $BASE/user/grants
  Metadata:       $BASE/.well-known/oauth-authorization-server
  OpenID Connect: $BASE/.well-known/openid-configuration

  Log in as:      demo / $(cat "$VAR/demo-password")
  Client demo:    $VAR/demo-client.conf
  Logs:           $VAR/log/

  Press Ctrl-C to stop.

EOF

# Returns when lighttpd exits or a signal arrives (the traps run cleanup).
wait "$LIGHTTPD_PID" || die "lighttpd exited with status $?"
