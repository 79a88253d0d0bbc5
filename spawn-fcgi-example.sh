#!/bin/sh
# spawn-fcgi-example.sh: start and stop the oauth2-fcgi programs with
# Debian's spawn-fcgi, for nginx (nginx-example.conf).
#
#   spawn-fcgi-example.sh start [PROGRAM...]    all eleven when none is named
#   spawn-fcgi-example.sh stop  [PROGRAM...]
#
# For each program, start runs one line of this shape (-F is the worker
# count):
#
#   spawn-fcgi -s /run/oauth2-fcgi/token.sock -M 0660 \
#       -U www-data -G www-data -u www-data -g www-data \
#       -F 2 -P /run/oauth2-fcgi/token.pid \
#       -- /bin/sh -c 'exec "$0" 2>>"$1"' \
#          /usr/local/lib/oauth2-fcgi/cgi-bin/token.fcgi \
#          /var/log/oauth2-fcgi/programs.log
#
# spawn-fcgi binds the socket, forks the workers with it on file
# descriptor 0 (FastCGI's convention; the programs find it there) and
# exits.  It points the workers' stderr at /dev/null; the `sh -c` wrapper
# sends it to the log file instead (one line per problem, prefixed with
# the program's name).  spawn-fcgi does not watch the workers: one that
# dies stays dead until the next start.  systemd/oauth2-fcgi@.service
# restarts them.
#
# Settings, from the environment [default]:
#   OAUTH_CONFIG  the configuration file the programs read
#                 [/etc/oauth2-fcgi.conf]
#   BINDIR        the directory holding cgi-bin/*.fcgi  [@BINDIR@]
#   SOCKDIR       sockets and pid files                 [@SOCKDIR@]
#   LOGFILE       the programs' stderr  [/var/log/oauth2-fcgi/programs.log]
#   RUN_USER, RUN_GROUP    who the programs run as, when started as root
#                          [www-data]
#   SOCK_USER, SOCK_GROUP  owner of the sockets: nginx's user [www-data]
#   WORKERS       processes per program [2]; WORKERS_token=4 and so on
#                 for one program.  Each keeps a PostgreSQL connection:
#                 13 programs x WORKERS must stay below max_connections.
set -eu

PROGRAMS="authorize token me get_user_info revoke introspect grants logout admin developer"
PROGRAMS="$PROGRAMS userinfo jwks end_session"

: "${OAUTH_CONFIG:=/etc/oauth2-fcgi.conf}"
: "${BINDIR:=@BINDIR@}"
: "${SOCKDIR:=@SOCKDIR@}"
: "${LOGFILE:=/var/log/oauth2-fcgi/programs.log}"
: "${RUN_USER:=www-data}"
: "${RUN_GROUP:=www-data}"
: "${SOCK_USER:=www-data}"
: "${SOCK_GROUP:=www-data}"
: "${WORKERS:=2}"
export OAUTH_CONFIG

die() {
	echo "spawn-fcgi-example.sh: $*" >&2
	exit 1
}

# The workers of one program still running: the PIDs in its pid file
# whose command line is still that program (a PID may have been reused).
running() {
	pidfile=$SOCKDIR/$1.pid
	[ -f "$pidfile" ] || return 0
	for pid in $(cat "$pidfile"); do
		cmd=$(tr '\0' '\n' < "/proc/$pid/cmdline" 2>/dev/null | head -n 1) ||
		    continue
		[ "$cmd" = "$BINDIR/cgi-bin/$1.fcgi" ] && echo "$pid"
	done
	return 0
}

start_one() {
	p=$1
	eval "n=\${WORKERS_$p:-\$WORKERS}"
	case $n in
	'' | *[!0-9]* | 0) die "bad worker count '$n' for $p" ;;
	esac
	[ -z "$(running "$p")" ] || die "$p is already running"
	[ -x "$BINDIR/cgi-bin/$p.fcgi" ] || die "$BINDIR/cgi-bin/$p.fcgi missing"
	set -- -s "$SOCKDIR/$p.sock" -M 0660 -F "$n" -P "$SOCKDIR/$p.pid"
	if [ "$(id -u)" -eq 0 ]; then
		set -- "$@" -u "$RUN_USER" -g "$RUN_GROUP" \
		    -U "$SOCK_USER" -G "$SOCK_GROUP"
	fi
	spawn-fcgi "$@" -- /bin/sh -c 'exec "$0" 2>>"$1"' \
	    "$BINDIR/cgi-bin/$p.fcgi" "$LOGFILE" >/dev/null ||
	    die "spawn-fcgi failed for $p"
}

stop_one() {
	p=$1
	pids=$(running "$p")
	[ -z "$pids" ] || kill -TERM $pids 2>/dev/null || true
	i=0
	while [ -n "$(running "$p")" ] && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	pids=$(running "$p")
	[ -z "$pids" ] || kill -KILL $pids 2>/dev/null || true
	rm -f "$SOCKDIR/$p.pid" "$SOCKDIR/$p.sock"
}

[ $# -ge 1 ] || die "usage: spawn-fcgi-example.sh start|stop [PROGRAM...]"
action=$1
shift
[ $# -ge 1 ] || set -- $PROGRAMS
for p in "$@"; do
	case " $PROGRAMS " in
	*" $p "*) ;;
	*) die "unknown program $p" ;;
	esac
done

case $action in
start)
	command -v spawn-fcgi >/dev/null || die "spawn-fcgi is not installed"
	mkdir -p "$SOCKDIR" "$(dirname "$LOGFILE")"
	touch "$LOGFILE"
	if [ "$(id -u)" -eq 0 ]; then
		chown "$RUN_USER:$RUN_GROUP" "$LOGFILE"
	fi
	for p in "$@"; do
		start_one "$p"
	done
	;;
stop)
	for p in "$@"; do
		stop_one "$p"
	done
	;;
*)
	die "usage: spawn-fcgi-example.sh start|stop [PROGRAM...]"
	;;
esac
