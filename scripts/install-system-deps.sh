#!/usr/bin/env bash
# Install the system packages kvmdesk needs.
#
#   scripts/install-system-deps.sh [run]   build + run: libvirt headers, compiler,
#                                          Python headers, Qt 6 xcb libraries, fonts
#   scripts/install-system-deps.sh test    run + what the integration tests need:
#                                          libvirtd, QEMU, sshd, busybox, Xvfb,
#                                          virt-install and xmllint (the New VM
#                                          comparison with virt-install), ...
#                                          + what `make packages` needs: rpmbuild,
#                                          rpmlint, dpkg-buildpackage, lintian,
#                                          the .deb's build dependencies, validators
#
# Idempotent and fast when everything is present: each package is checked
# (dpkg-query / rpm -q) and the package manager is only called, after one
# index update, for what is missing.  apt on Debian/Ubuntu, dnf on
# Fedora/RHEL (best-effort names).  Uses sudo when not root.
set -euo pipefail

MODE=${1:-run}
case "$MODE" in
    run | test) ;;
    *)
        echo "usage: $0 [run|test]" >&2
        exit 2
        ;;
esac

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO=(sudo)
    else
        echo "install-system-deps: not root and no sudo" >&2
        exit 1
    fi
fi

have_venv() {
    command -v python3 >/dev/null 2>&1 &&
        python3 -c 'import venv, ensurepip' >/dev/null 2>&1
}

have_systemd() {
    [ -d /run/systemd/system ] && [ "$(cat /proc/1/comm 2>/dev/null)" = systemd ]
}

# ---------------------------------------------------------------- Debian/Ubuntu

APT_RUN=(
    libvirt-dev pkg-config gcc python3-dev
    libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
    libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1
    libgl1 libegl1 libfontconfig1 libdbus-1-3 fonts-dejavu-core fonts-noto-cjk
    osinfo-db
)
APT_TEST=(
    libvirt-daemon-system libvirt-daemon-driver-qemu libvirt-clients
    qemu-system-x86 qemu-utils openssh-server openssh-client busybox-static cpio
    xvfb imagemagick xauth dnsmasq-base mount e2fsprogs
    socat  # a UNIX-socket display over ssh where the host forbids socket forwarding
    netcat-openbsd  # ... and, where socat is missing too, `nc -U` relays it
    virtinst libxml2-utils
    # make packages: RPM and .deb builds, their linters, desktop validators,
    # and the Debian package's build dependencies (debian/control)
    rpm rpmlint lintian build-essential debhelper dpkg-dev
    python3-build python3-hatchling python3-libvirt python3-pil qt6-l10n-tools
    desktop-file-utils appstream man-db
)

apt_missing() {
    local p
    for p in "$@"; do
        if [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" != "install ok installed" ]; then
            echo "$p"
        fi
    done
}

apt_install() {
    local wanted=("${APT_RUN[@]}")
    have_venv || wanted+=(python3-venv)
    [ "$MODE" = test ] && wanted+=("${APT_TEST[@]}")

    local missing
    mapfile -t missing < <(apt_missing "${wanted[@]}")
    if [ "${#missing[@]}" -eq 0 ]; then
        echo "install-system-deps ($MODE): all ${#wanted[@]} packages present"
        return 0
    fi
    echo "install-system-deps ($MODE): installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    # Other processes (unattended upgrades, other test runs) may hold the
    # dpkg lock: wait for it instead of failing.
    local wait=(-o DPkg::Lock::Timeout=600)
    # ... and take turns with other kvmdesk runs on this machine.
    command -v flock >/dev/null 2>&1 && SUDO+=(flock /tmp/kvmdesk-apt.lock)
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "${wait[@]}" update -q

    # Skip names this release does not know instead of failing the whole run.
    local known=() p
    for p in "${missing[@]}"; do
        if apt-cache show --no-all-versions "$p" >/dev/null 2>&1; then
            known+=("$p")
        else
            echo "install-system-deps: no package '$p' here, skipped" >&2
        fi
    done
    [ "${#known[@]}" -gt 0 ] || return 0

    # Without systemd (containers, CI) maintainer scripts must not try to
    # start libvirtd & co.: deny service starts for the duration of the
    # install, as Docker images do.  scripts/testbed.sh starts them later.
    local policy=/usr/sbin/policy-rc.d added_policy=0
    if ! have_systemd && [ ! -e "$policy" ]; then
        printf '#!/bin/sh\nexit 101\n' | "${SUDO[@]}" tee "$policy" >/dev/null
        "${SUDO[@]}" chmod 0755 "$policy"
        added_policy=1
    fi
    local rc=0
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get "${wait[@]}" install -y -q --no-install-recommends \
        -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
        "${known[@]}" || rc=$?
    if [ "$rc" -ne 0 ]; then
        # A postinst that still fails on a service start (no init system)
        # leaves packages half-configured; configure what can be.
        "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive dpkg --configure -a || true
    fi
    if [ "$added_policy" = 1 ]; then
        "${SUDO[@]}" rm -f "$policy"
    fi

    local still
    mapfile -t still < <(apt_missing "${known[@]}")
    # Unpacked but unconfigured only because a service could not start is
    # acceptable for packages whose files are all there.
    local fatal=()
    for p in "${still[@]}"; do
        case "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" in
            *" unpacked" | *" half-configured")
                echo "install-system-deps: $p is not fully configured (no init system?)" >&2
                ;;
            *) fatal+=("$p") ;;
        esac
    done
    if [ "${#fatal[@]}" -gt 0 ]; then
        echo "install-system-deps: failed to install ${fatal[*]}" >&2
        return 1
    fi
    echo "install-system-deps ($MODE): done"
}

# --------------------------------------------------------------- Fedora/RHEL

DNF_RUN=(
    libvirt-devel pkgconf-pkg-config gcc python3-devel
    xcb-util-cursor libxkbcommon-x11 xcb-util-wm xcb-util-image xcb-util-keysyms
    xcb-util-renderutil libxcb mesa-libGL mesa-libEGL fontconfig dbus-libs
    dejavu-sans-fonts google-noto-sans-cjk-fonts
    osinfo-db
)
DNF_TEST=(
    libvirt-daemon libvirt-daemon-driver-qemu libvirt-client
    qemu-system-x86-core qemu-img openssh-server openssh-clients busybox cpio
    xorg-x11-server-Xvfb ImageMagick xorg-x11-xauth dnsmasq util-linux e2fsprogs
    socat nmap-ncat
    virt-install libxml2
    rpm-build rpmlint dpkg-dev debhelper lintian python3-hatchling qt6-linguist
    desktop-file-utils appstream man-db
)

dnf_install() {
    local wanted=("${DNF_RUN[@]}")
    [ "$MODE" = test ] && wanted+=("${DNF_TEST[@]}")
    local missing=() p
    for p in "${wanted[@]}"; do
        rpm -q --whatprovides "$p" >/dev/null 2>&1 || missing+=("$p")
    done
    if [ "${#missing[@]}" -eq 0 ]; then
        echo "install-system-deps ($MODE): all ${#wanted[@]} packages present"
        return 0
    fi
    echo "install-system-deps ($MODE): installing ${missing[*]}"
    local known=()
    for p in "${missing[@]}"; do
        if dnf -q info "$p" >/dev/null 2>&1; then
            known+=("$p")
        else
            echo "install-system-deps: no package '$p' here, skipped" >&2
        fi
    done
    [ "${#known[@]}" -gt 0 ] || return 0
    "${SUDO[@]}" dnf install -y --setopt=install_weak_deps=False "${known[@]}"
    echo "install-system-deps ($MODE): done"
}

# ---------------------------------------------------------------------- main

if command -v apt-get >/dev/null 2>&1 && command -v dpkg-query >/dev/null 2>&1; then
    apt_install
elif command -v dnf >/dev/null 2>&1; then
    dnf_install
else
    echo "install-system-deps: neither apt-get nor dnf found; install by hand:" >&2
    echo "  libvirt headers, pkg-config, gcc, Python headers, Qt 6 xcb libraries" >&2
    exit 1
fi
