#!/usr/bin/env bash
# Local libvirt test bed for the integration tests.
#
#   scripts/testbed.sh start    start virtlogd + libvirtd + the peer unless already up
#   scripts/testbed.sh stop     stop what 'start' started (nothing else)
#   scripts/testbed.sh status   one line per service; exit 3 if one is down
#
# The peer (kvmdesk-peerd) is a second libvirtd: the other end of the
# migration tests. It runs in its own mount namespace, where its own
# /etc/libvirt, /run/libvirt, /var/lib/libvirt, /var/cache/libvirt and
# /var/log/libvirt are bind-mounted from /var/lib/kvmdesk-peer, with its own
# host UUID (libvirt refuses to migrate to the same host), and answers on
# qemu+unix:///system?socket=/var/lib/kvmdesk-peer/run/libvirt-sock.
# Its QEMU runs as root without a security driver and without dynamic
# ownership: it must not record DAC owners on the test kernel and initrd the
# main daemon shares. It is a libvirtd under another name, so nothing that
# looks for "libvirtd" (pid_of, pgrep -x) mistakes it for the main daemon.
#
# Works with systemd (systemctl) and without it (daemons run with -d, as on a
# container-like CI machine as root).  What 'start' started is recorded under
# /run/kvmdesk-testbed/, so 'stop' leaves daemons someone else started alone.
#
# Without udev /dev/kvm stays root-only (0600); libvirt then finds KVM usable
# when probing QEMU but not usable for the QEMU user, invalidates its
# capability cache on every query and re-probes QEMU (8-17 s per
# getCapabilities).  'start' applies the permissions udev would give it
# (root:kvm 0660).  The test guests use domain type 'qemu' regardless.
set -euo pipefail

URI=qemu:///system
STATE_DIR=/run/kvmdesk-testbed
PEER_DIR=/var/lib/kvmdesk-peer
PEER_NAME=kvmdesk-peerd
PEER_URI="qemu+unix:///system?socket=$PEER_DIR/run/libvirt-sock"
PEER_UUID=6b766d64-6573-6b00-8000-706565720001
WAIT_SECONDS=20
export PATH="$PATH:/usr/sbin:/sbin"
export LC_ALL=C

usage() {
    echo "usage: $0 start|stop|status" >&2
    exit 2
}

have_systemd() {
    [ -d /run/systemd/system ] && [ "$(cat /proc/1/comm 2>/dev/null)" = systemd ]
}

# Name of the daemon serving qemu:///system: monolithic libvirtd if
# installed, else the modular virtqemud (Fedora).
main_daemon() {
    if command -v libvirtd >/dev/null 2>&1; then echo libvirtd
    elif command -v virtqemud >/dev/null 2>&1; then echo virtqemud
    else echo libvirtd
    fi
}

socket_of() {
    case "$1" in
        virtlogd) echo /run/libvirt/virtlogd-sock ;;
        libvirtd) echo /run/libvirt/libvirt-sock ;;
        *) echo "/run/libvirt/$1-sock" ;;
    esac
}

# pid of a live process called $1: its own pid file first, then /proc.
pid_of() {
    local name=$1 pid p
    if [ -r "/run/$name.pid" ]; then
        pid=$(tr -dc 0-9 <"/run/$name.pid")
        if [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$name" ]; then
            echo "$pid"
            return 0
        fi
    fi
    for p in /proc/[0-9]*; do
        if [ "$(cat "$p/comm" 2>/dev/null)" = "$name" ]; then
            echo "${p#/proc/}"
            return 0
        fi
    done
    return 1
}

virtlogd_up() {
    [ -S "$(socket_of virtlogd)" ] && pid_of virtlogd >/dev/null
}

libvirt_answers() {
    [ -S "$(socket_of "$(main_daemon)")" ] || [ -S /run/libvirt/libvirt-sock ] || return 1
    timeout 5 virsh -c "$URI" uri >/dev/null 2>&1
}

# wait_for CHECK-FUNCTION: poll for up to WAIT_SECONDS of wall-clock time.
wait_for() {
    local deadline=$((SECONDS + WAIT_SECONDS))
    while ((SECONDS < deadline)); do
        if "$1"; then return 0; fi
        sleep 0.2
    done
    "$1"
}

need_root() {
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1; then
            exec sudo -- "$0" "$@"
        fi
        echo "testbed: must run as root (or with sudo)" >&2
        exit 1
    fi
}

fix_kvm_permissions() {
    [ -c /dev/kvm ] || return 0
    getent group kvm >/dev/null 2>&1 || return 0
    local owner
    owner=$(stat -c '%G %a' /dev/kvm)
    if [ "$owner" != "kvm 660" ] && [ "$owner" != "kvm 666" ]; then
        chgrp kvm /dev/kvm && chmod 0660 /dev/kvm
        echo "kvm: /dev/kvm was '$owner', set to root:kvm 0660 (as udev does)"
    fi
}

libvirt_answers_or_gone() {
    libvirt_answers || ! pid_of "$(main_daemon)" >/dev/null
}

record() { # record NAME VALUE
    mkdir -p "$STATE_DIR"
    echo "$2" >"$STATE_DIR/$1"
}

# ------------------------------------------------------------------ systemd

systemd_start() {
    local unit
    for unit in virtlogd "$(main_daemon)"; do
        if systemctl is-active --quiet "$unit.service"; then
            echo "$unit: already running (systemd)"
        else
            systemctl start "$unit.service"
            record "$unit.unit" "$unit.service"
            echo "$unit: started (systemd)"
        fi
    done
    if ! wait_for libvirt_answers; then
        echo "$(main_daemon): started but $URI does not answer after ${WAIT_SECONDS}s" >&2
        return 1
    fi
}

# ---------------------------------------------------------------- no systemd

start_virtlogd() {
    local pid
    if virtlogd_up; then
        echo "virtlogd: already running (pid $(pid_of virtlogd))"
        return 0
    fi
    if ! pid_of virtlogd >/dev/null; then
        virtlogd -d
    fi
    if ! wait_for virtlogd_up; then
        echo "virtlogd: did not come up within ${WAIT_SECONDS}s" >&2
        return 1
    fi
    pid=$(pid_of virtlogd)
    record virtlogd.pid "$pid"
    echo "virtlogd: started (pid $pid)"
}

start_libvirtd() {
    local name pid
    name=$(main_daemon)
    if libvirt_answers; then
        echo "$name: already running, $URI answers (pid $(pid_of "$name" || echo '?'))"
        return 0
    fi
    if pid_of "$name" >/dev/null; then
        # Still starting up, or still dying after a kill: wait, and start a
        # new one if the old process goes away meanwhile.
        echo "$name: process found, waiting for $URI" >&2
        wait_for libvirt_answers_or_gone || true
        pid_of "$name" >/dev/null || "$name" -d
    else
        "$name" -d
    fi
    if ! wait_for libvirt_answers; then
        echo "$name: $URI does not answer after ${WAIT_SECONDS}s" >&2
        return 1
    fi
    pid=$(pid_of "$name")
    if [ ! -e "$STATE_DIR/$name.pid" ]; then
        record "$name.pid" "$pid"
    fi
    echo "$name: started, $URI answers (pid $pid)"
}

stop_pid() { # stop_pid NAME PIDFILE
    local name=$1 file=$2 pid i
    pid=$(tr -dc 0-9 <"$file")
    if [ -z "$pid" ] || [ "$(cat "/proc/$pid/comm" 2>/dev/null)" != "$name" ]; then
        echo "$name: already stopped"
        rm -f "$file"
        return 0
    fi
    kill -TERM "$pid"
    for ((i = 0; i < 50; i++)); do
        [ -d "/proc/$pid" ] || break
        sleep 0.2
    done
    if [ -d "/proc/$pid" ]; then
        kill -KILL "$pid" 2>/dev/null || true
        echo "$name: stopped (pid $pid, killed after 10s)"
    else
        echo "$name: stopped (pid $pid)"
    fi
    rm -f "$file"
}

# ---------------------------------------------------------------- the peer

peer_answers() {
    [ -S "$PEER_DIR/run/libvirt-sock" ] || return 1
    timeout 5 virsh -c "$PEER_URI" uri >/dev/null 2>&1
}

peer_pid() {
    local pid
    [ -r "$PEER_DIR/$PEER_NAME.pid" ] || return 1
    pid=$(tr -dc 0-9 <"$PEER_DIR/$PEER_NAME.pid")
    [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$PEER_NAME" ] || return 1
    echo "$pid"
}

write_peer_config() {
    local d
    for d in etc etc/qemu run state lib cache log bin; do
        mkdir -p "$PEER_DIR/$d"
    done
    chmod 0755 "$PEER_DIR" "$PEER_DIR/run"
    cat >"$PEER_DIR/etc/libvirtd.conf" <<EOF
# kvmdesk test bed: the peer libvirtd (scripts/testbed.sh)
unix_sock_dir = "$PEER_DIR/run"
unix_sock_rw_perms = "0700"
auth_unix_rw = "none"
host_uuid = "$PEER_UUID"
EOF
    cat >"$PEER_DIR/etc/qemu.conf" <<EOF
# kvmdesk test bed: the peer's QEMU (scripts/testbed.sh)
user = "root"
group = "root"
security_driver = "none"
dynamic_ownership = 0
remember_owner = 0
stdio_handler = "file"
migration_port_min = 49400
migration_port_max = 49463
remote_display_port_min = 5950
remote_display_port_max = 5999
EOF
    : >"$PEER_DIR/etc/libvirt.conf"
    ln -sfn "$(command -v libvirtd)" "$PEER_DIR/bin/$PEER_NAME"
}

start_peer() {
    # The first start probes QEMU's capabilities into the peer's own cache.
    local pid WAIT_SECONDS=60
    if ! command -v libvirtd >/dev/null 2>&1; then
        echo "$PEER_NAME: no libvirtd to run as the peer, not started" >&2
        return 1
    fi
    if peer_answers; then
        echo "$PEER_NAME: already running, $PEER_URI answers (pid $(peer_pid || echo '?'))"
        return 0
    fi
    write_peer_config
    rm -f "$PEER_DIR/run/libvirt-sock"
    # Detached, every fd redirected: the peer outlives this script and must
    # not hold a lock fd (the integration run is under flock -o) or a pipe.
    setsid unshare -m --propagation private sh -c '
        set -e
        mount --bind "$1/etc" /etc/libvirt
        mount --bind "$1/state" /run/libvirt
        mount --bind "$1/lib" /var/lib/libvirt
        mount --bind "$1/cache" /var/cache/libvirt
        mount --bind "$1/log" /var/log/libvirt
        exec "$1/bin/$2" -p "$1/$2.pid" -f /etc/libvirt/libvirtd.conf
    ' sh "$PEER_DIR" "$PEER_NAME" </dev/null >"$PEER_DIR/$PEER_NAME.log" 2>&1 &
    if ! wait_for peer_answers; then
        echo "$PEER_NAME: $PEER_URI does not answer after ${WAIT_SECONDS}s (see $PEER_DIR/$PEER_NAME.log)" >&2
        return 1
    fi
    pid=$(peer_pid || echo '?')
    record "$PEER_NAME.pid" "$pid"
    echo "$PEER_NAME: started, $PEER_URI answers (pid $pid)"
}

stop_peer() {
    local pid
    if [ ! -e "$STATE_DIR/$PEER_NAME.pid" ]; then
        echo "$PEER_NAME: not started by testbed, left alone"
        return 0
    fi
    if pid=$(peer_pid); then
        echo "$pid" >"$STATE_DIR/$PEER_NAME.pid"
    fi
    stop_pid "$PEER_NAME" "$STATE_DIR/$PEER_NAME.pid"
}

# ------------------------------------------------------------------ actions

do_start() {
    need_root start
    command -v virsh >/dev/null 2>&1 || {
        echo "testbed: virsh missing; run scripts/install-system-deps.sh test" >&2
        exit 1
    }
    mkdir -p "$STATE_DIR"
    fix_kvm_permissions
    if have_systemd; then
        systemd_start
    else
        start_virtlogd
        start_libvirtd
    fi
    start_peer
}

do_stop() {
    need_root stop
    local name any=0
    [ -e "$STATE_DIR/$PEER_NAME.pid" ] && any=1
    stop_peer
    for name in "$(main_daemon)" virtlogd; do
        if [ -e "$STATE_DIR/$name.unit" ]; then
            systemctl stop "$(cat "$STATE_DIR/$name.unit")" || true
            rm -f "$STATE_DIR/$name.unit"
            echo "$name: stopped (systemd)"
            any=1
        elif [ -e "$STATE_DIR/$name.pid" ]; then
            stop_pid "$name" "$STATE_DIR/$name.pid"
            any=1
        else
            echo "$name: not started by testbed, left alone"
        fi
    done
    if [ "$any" = 1 ]; then
        rmdir "$STATE_DIR" 2>/dev/null || true
    fi
}

do_status() {
    local name rc=0 pid mine
    for name in virtlogd "$(main_daemon)"; do
        mine=""
        if [ -e "$STATE_DIR/$name.pid" ] || [ -e "$STATE_DIR/$name.unit" ]; then
            mine=", started by testbed"
        fi
        if pid=$(pid_of "$name"); then
            if [ "$name" = virtlogd ]; then
                echo "virtlogd: running (pid $pid$mine)"
            elif libvirt_answers; then
                echo "$name: running, $URI answers (pid $pid$mine)"
            else
                echo "$name: running (pid $pid$mine) but $URI does not answer"
                rc=3
            fi
        elif [ "$name" != virtlogd ] && libvirt_answers; then
            echo "$name: $URI answers (daemon outside this PID namespace?)"
        else
            echo "$name: stopped"
            rc=3
        fi
    done
    if peer_answers; then
        echo "$PEER_NAME: running, $PEER_URI answers (pid $(peer_pid || echo '?'))"
    else
        echo "$PEER_NAME: stopped"
        rc=3
    fi
    return "$rc"
}

case "${1:-}" in
    start) do_start ;;
    stop) do_stop ;;
    status) do_status ;;
    *) usage ;;
esac
