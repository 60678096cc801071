#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: trust authentication,
# 127.0.0.1 only, a random free port, everything in one folder.
#
#   scripts/pg-test-cluster.sh start [DIR]   initdb + start; prints the URI
#                                            postgresql://postgres@127.0.0.1:PORT/postgres
#   scripts/pg-test-cluster.sh stop DIR      stops it and removes DIR
#
# DIR defaults to a new folder under ${TMPDIR:-/tmp} (named on stderr); it
# must not exist or be empty.  The server refuses to run as root, so as root
# the cluster runs as PG_TEST_USER (default `postgres`; created when missing,
# as Debian's postgresql package would).  The server binaries come from
# PG_BINDIR, else the newest /usr/lib/postgresql/*/bin, else PATH.
# Durability is off (fsync=off): the data is thrown away.
set -euo pipefail

me=${0##*/}
die() { echo "$me: $*" >&2; exit 1; }
marker=.duban-pg-test-cluster
owner=${PG_TEST_USER:-postgres}

bindir() {
	if [[ -n ${PG_BINDIR:-} ]]; then
		echo "$PG_BINDIR"
		return
	fi
	local d dirs=(/usr/lib/postgresql/*/bin)
	d=$(printf '%s\n' "${dirs[@]}" | sort -V | tail -n 1)
	if [[ -x $d/initdb ]]; then
		echo "$d"
	elif command -v initdb >/dev/null; then
		dirname "$(command -v initdb)"
	else
		die "no PostgreSQL server binaries (install Debian's 'postgresql' or set PG_BINDIR)"
	fi
}

# as_owner CMD...: runs CMD as the cluster's owner
as_owner() {
	if [[ $(id -u) -eq 0 ]]; then
		runuser -u "$owner" -- "$@"
	else
		"$@"
	fi
}

free_port() {
	local port
	for _ in $(seq 50); do
		port=$((20000 + RANDOM % 40000))
		# nothing answers there: take it (start retries if we race)
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
			echo "$port"
			return
		fi
	done
	die "no free port found"
}

start() {
	local dir=${1:-} bin port
	bin=$(bindir)
	if [[ -z $dir ]]; then
		dir=$(mktemp -d "${TMPDIR:-/tmp}/duban-pg.XXXXXX")
	else
		mkdir -p "$dir"
		[[ -z $(ls -A "$dir") ]] || die "'$dir' is not empty"
	fi
	dir=$(cd "$dir" && pwd)
	touch "$dir/$marker"
	if [[ $(id -u) -eq 0 ]]; then
		id -u "$owner" >/dev/null 2>&1 ||
			useradd --system --user-group --no-create-home \
				--home-dir /nonexistent --shell /usr/sbin/nologin "$owner"
		chown "$owner": "$dir"
		chmod 0700 "$dir"
	fi
	as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust \
		--encoding=UTF8 --locale=C.UTF-8 --no-instructions >"$dir/initdb.log" 2>&1 ||
		{ cat "$dir/initdb.log" >&2; die "initdb failed in '$dir'"; }
	as_owner tee -a "$dir/data/postgresql.conf" >/dev/null <<-EOF
		# scripts/pg-test-cluster.sh: a throwaway test cluster
		listen_addresses = '127.0.0.1'
		unix_socket_directories = ''
		max_connections = 300
		fsync = off
		synchronous_commit = off
		full_page_writes = off
	EOF
	for _ in 1 2 3 4 5; do
		port=$(free_port)
		if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
			-o "-p $port" start >/dev/null 2>&1; then
			echo "$port" >"$dir/port"
			echo "$me: cluster in $dir; stop it with: $0 stop $dir" >&2
			echo "postgresql://postgres@127.0.0.1:$port/postgres"
			return
		fi
		tail -n 5 "$dir/server.log" >&2 || true
	done
	die "unable to start the cluster in '$dir' (see $dir/server.log)"
}

stop() {
	local dir=${1:-} bin
	[[ -n $dir ]] || die "usage: $me stop DIR"
	[[ -f $dir/$marker ]] || die "'$dir' is not a cluster made by $me"
	bin=$(bindir)
	owner=$(stat -c %U "$dir/data" 2>/dev/null || echo "$owner")
	if [[ -f $dir/data/postmaster.pid ]]; then
		as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null ||
			die "unable to stop the cluster in '$dir'"
	fi
	rm -rf -- "$dir"
}

case ${1:-} in
start) start "${2:-}" ;;
stop) stop "${2:-}" ;;
*) die "usage: $me start [DIR] | $me stop DIR" ;;
esac
