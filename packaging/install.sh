#!/bin/sh
# Install the kvmdesk desktop entry, icon and AppStream metadata.
#
# Usage: packaging/install.sh [PREFIX]
#   PREFIX defaults to ~/.local.  Files go to
#     PREFIX/share/applications/kvmdesk.desktop
#     PREFIX/share/icons/hicolor/scalable/apps/kvmdesk.svg
#     PREFIX/share/metainfo/io.github.kvmdesk.metainfo.xml
#   DESTDIR is honoured for staged installs (DESTDIR=/tmp/stage install.sh /usr).
set -eu

usage() {
    echo "usage: $0 [PREFIX]   (default PREFIX: \$HOME/.local)" >&2
}

case "${1:-}" in
    -h|--help) usage; exit 0 ;;
esac
if [ "$#" -gt 1 ]; then
    usage
    exit 2
fi

prefix="${1:-${HOME:?HOME is not set}/.local}"
destdir="${DESTDIR:-}"
here="$(cd "$(dirname "$0")" && pwd)"

apps="$destdir$prefix/share/applications"
icons="$destdir$prefix/share/icons/hicolor"
metainfo="$destdir$prefix/share/metainfo"

install -d "$apps" "$icons/scalable/apps" "$metainfo"
install -m 0644 "$here/kvmdesk.desktop" "$apps/kvmdesk.desktop"
install -m 0644 "$here/icons/hicolor/scalable/apps/kvmdesk.svg" "$icons/scalable/apps/kvmdesk.svg"
install -m 0644 "$here/io.github.kvmdesk.metainfo.xml" "$metainfo/io.github.kvmdesk.metainfo.xml"

# Refresh caches when installing into the live system (not a staged DESTDIR).
if [ -z "$destdir" ]; then
    if command -v update-desktop-database >/dev/null 2>&1; then
        update-desktop-database -q "$apps" || true
    fi
    if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f "$icons/index.theme" ]; then
        gtk-update-icon-cache -q -t "$icons" || true
    fi
fi

echo "installed kvmdesk desktop entry and icon under $destdir$prefix/share"
