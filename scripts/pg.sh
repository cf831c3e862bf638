#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests (see /work/shared/TOOLCHAIN.md, "PostgreSQL for tests").
#
#   scripts/pg.sh start DIR   prints one line, postgres://renkei@127.0.0.1:PORT/postgres
#   scripts/pg.sh stop DIR    stops the cluster and removes DIR
#
# Or sourced: `source scripts/pg.sh; url=$(pg_start "$dir"); …; pg_stop "$dir"`. The functions
# run in subshells, so sourcing changes neither the caller's shell options nor its exit.
#
# Only the URL goes to stdout (callers capture it); everything else goes to stderr.
# RENKEI_PG_DURABLE=1 keeps fsync and friends on (benchmarks); otherwise they are off, as
# nothing in a test cluster has to survive a crash.

# Marks a directory as made by this script: `stop` removes only such a directory, so a wrong
# argument cannot wipe something else.
PG_SH_MARKER=renkei-pg-cluster

pg_sh_log() { printf 'pg.sh: %s\n' "$*" >&2; }

# The newest installed server's bin directory; installs Debian's package if there is none.
pg_sh_bindir() (
    set -euo pipefail
    if ! compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; then
        pg_sh_log "no PostgreSQL server found; installing Debian's postgresql package"
        local sudo=()
        [[ $(id -u) -eq 0 ]] || sudo=(sudo)
        # A stale package index is the usual reason install fails on a fresh machine.
        DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y postgresql >&2 \
            || { DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get update >&2 \
                 && DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y postgresql >&2; }
    fi
    # Version directories are numbers (13, 15, 16…): sort numerically, take the newest.
    local dir
    dir=$(printf '%s\n' /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)
    [[ -x $dir ]] || { pg_sh_log "initdb not found after install"; exit 1; }
    dirname "$dir"
)

# PostgreSQL refuses to run as root (CI runs as root): then its programs run as `postgres`.
pg_sh_as() {
    if [[ $(id -u) -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

# A port nobody listens on now (the kernel picks it); start retries if it is taken meanwhile.
pg_sh_free_port() {
    if command -v python3 >/dev/null; then
        python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
    elif command -v node >/dev/null; then
        node -e 'const s = require("net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })'
    else
        pg_sh_log "need python3 or node to find a free port"
        return 1
    fi
}

pg_sh_url() { printf 'postgres://renkei@127.0.0.1:%s/postgres\n' "$1"; }

pg_start() (
    set -euo pipefail
    [[ $# -eq 1 && -n $1 ]] || { pg_sh_log "usage: pg.sh start DIR"; exit 2; }
    local dir=$1
    # pg_ctl's -o takes one string split on spaces: a path with whitespace would break it.
    [[ $dir != *[[:space:]]* ]] || { pg_sh_log "DIR must not contain whitespace: $dir"; exit 2; }
    local bin
    bin=$(pg_sh_bindir)

    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd -P)
    if [[ ! -e $dir/$PG_SH_MARKER ]]; then
        # Never take over a directory holding something else.
        if [[ -n $(ls -A "$dir") ]]; then
            pg_sh_log "$dir is not empty and was not made by pg.sh; refusing to use it"
            exit 1
        fi
        touch "$dir/$PG_SH_MARKER"
    fi
    chmod 700 "$dir"
    [[ $(id -u) -ne 0 ]] || chown postgres:postgres "$dir" "$dir/$PG_SH_MARKER"
    # The postgres user must reach DIR (a directory under /root, say, it cannot).
    if ! pg_sh_as test -w "$dir" -a -x "$dir"; then
        pg_sh_log "the postgres user cannot write $dir (or a parent is closed to it); use e.g. mktemp -d"
        exit 1
    fi
    # Run from DIR: the server's programs complain when they cannot read root's cwd.
    cd "$dir"

    # Starting again while it runs is not an error: print the same URL.
    if [[ -f $dir/port ]] \
            && "$bin/pg_isready" -q -h 127.0.0.1 -p "$(cat "$dir/port")" -U renkei -d postgres; then
        pg_sh_log "already running in $dir"
        pg_sh_url "$(cat "$dir/port")"
        exit 0
    fi
    # Left over from a cluster that does not answer (a crash, a killed test): stop whatever is
    # left of it and start afresh. (A killed server can linger as a zombie where nothing reaps
    # orphans, so pg_ctl may think it runs and fail to stop it; the new data directory has no
    # pid file, so that does not block the new start.)
    if [[ -f $dir/data/PG_VERSION ]]; then
        pg_sh_as "$bin/pg_ctl" -D "$dir/data" -m immediate -w -t 10 stop >&2 2>/dev/null || true
    fi
    rm -rf "$dir/data" "$dir/port" "$dir/log"

    # C.UTF-8 sorts by code point and needs no generated locale; some systems lack it.
    if ! pg_sh_as "$bin/initdb" -D "$dir/data" -A trust -U renkei --encoding=UTF8 \
            --locale=C.UTF-8 >&2; then
        pg_sh_log "initdb with C.UTF-8 failed; trying --no-locale"
        rm -rf "$dir/data"
        pg_sh_as "$bin/initdb" -D "$dir/data" -A trust -U renkei --encoding=UTF8 --no-locale >&2
    fi

    # Loopback only, socket in DIR (not /var/run/postgresql, which may not exist or be shared).
    local opts="-c listen_addresses=127.0.0.1 -k $dir -c max_connections=300"
    if [[ ${RENKEI_PG_DURABLE:-0} != 1 ]]; then
        # A test cluster need not survive a crash: skip the flushes that make it slow.
        opts+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    fi

    local port attempt
    for attempt in 1 2 3 4 5; do
        port=$(pg_sh_free_port)
        if pg_sh_as "$bin/pg_ctl" -D "$dir/data" -o "-p $port $opts" -l "$dir/log" -w -t 60 \
                start >&2; then
            # Ready means it accepts connections over TCP, which is what the tests use.
            local i
            for i in $(seq 1 60); do
                if "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -U renkei -d postgres; then
                    echo "$port" >"$dir/port"
                    pg_sh_url "$port"
                    exit 0
                fi
                sleep 0.5
            done
            pg_sh_log "server started but does not accept connections on port $port"
            pg_sh_as "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >&2 || true
        fi
        # Most likely another process took the port between choosing and binding it.
        pg_sh_log "start attempt $attempt on port $port failed; log:"
        tail -n 20 "$dir/log" >&2 2>/dev/null || true
    done
    exit 1
)

pg_stop() (
    set -euo pipefail
    [[ $# -eq 1 && -n $1 ]] || { pg_sh_log "usage: pg.sh stop DIR"; exit 2; }
    local dir=$1
    # Already stopped and removed: nothing to do.
    [[ -d $dir ]] || exit 0
    dir=$(cd "$dir" && pwd -P)
    if [[ ! -e $dir/$PG_SH_MARKER ]]; then
        pg_sh_log "$dir was not made by pg.sh; not removing it"
        exit 1
    fi
    cd /
    if [[ -f $dir/data/PG_VERSION ]]; then
        local bin
        bin=$(pg_sh_bindir)
        if pg_sh_as "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
            # Fast: roll back open sessions (tests may leave some) instead of waiting for them.
            pg_sh_as "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >&2 \
                || pg_sh_as "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >&2 \
                || true
        fi
    fi
    rm -rf "$dir"
)

# Executed (not sourced): run the subcommand.
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
    set -euo pipefail
    case "${1:-}" in
        start) shift; pg_start "$@" ;;
        stop) shift; pg_stop "$@" ;;
        *) pg_sh_log "usage: pg.sh start DIR | pg.sh stop DIR"; exit 2 ;;
    esac
fi
