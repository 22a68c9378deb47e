#!/usr/bin/env bash
# Build every kvmdesk package and check it the way a user would get it:
#
#   wheel + sdist   python -m build; desktop file and AppStream metadata
#                   validated; the wheel installed into a fresh venv starts
#                   on its demo host (tests/packaging)
#   RPM             source and binary RPM from packaging/rpm/kvmdesk.spec with
#                   rpmbuild (Debian's), pyproject-rpm-macros stand-ins
#                   (packaging/rpm/macros.standin), %check on a quick subset; rpmlint
#   Debian          dpkg-buildpackage -us -uc -b from the sdist, lintian, then
#                   apt-get install ./kvmdesk_*.deb, kvmdesk --version, the demo
#                   host and the Chinese UI from the installed package; removed again
#
# Run by `make packages` (part of `make test`); needs root for apt-get.
# Artifacts stay in dist/. Keep it quick: it runs in every CI run.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=$ROOT/.venv/bin
DIST=$ROOT/dist
WORK=$(mktemp -d /tmp/kvmdesk-packages.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
export LRELEASE=$BIN/pyside6-lrelease
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}
export PIP_DISABLE_PIP_VERSION_CHECK=1
VERSION=$("$BIN/python" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
SUDO=()
[ "$(id -u)" -eq 0 ] || SUDO=(sudo)
APT=("${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive flock /tmp/kvmdesk-apt.lock
     apt-get -y -q -o DPkg::Lock::Timeout=600)

step() { printf '\n== packages: %s\n' "$*"; }
quiet() { # run, show the output only when it fails
    local log=$WORK/step.log
    "$@" >"$log" 2>&1 || { cat "$log"; echo "packages: failed: $*" >&2; return 1; }
}

step "wheel and sdist (kvmdesk $VERSION)"
rm -rf "$DIST"
quiet "$BIN/python" -m build --outdir "$DIST" .
ls -l "$DIST"

step "desktop entry and AppStream metadata"
desktop-file-validate packaging/kvmdesk.desktop
appstreamcli validate --pedantic --no-net packaging/io.github.kvmdesk.metainfo.xml

step "the wheel in a fresh venv"
KVMDESK_DIST=$DIST QT_QPA_PLATFORM=offscreen "$BIN/python" -m pytest -q -p no:cacheprovider tests/packaging

step "wheels bundled into the .deb (and RHEL 9's RPM)"
VENDOR=$WORK/vendor
versions=$("$BIN/python" - <<'PY'
from importlib.metadata import version
print(" ".join(f"{n}=={version(n)}" for n in ("PySide6-Essentials", "shiboken6", "qasync", "Pillow")))
PY
)
# shellcheck disable=SC2086  # one word per requirement
quiet "$BIN/python" -m pip download -q --only-binary=:all: --no-deps --dest "$VENDOR" $versions

step "RPM: source and binary package"
RPMTOP=$WORK/rpmbuild
mkdir -p "$RPMTOP/SOURCES"
cp "$DIST/kvmdesk-$VERSION.tar.gz" "$RPMTOP/SOURCES/"
RPMDEFS=(--define "_topdir $RPMTOP" --load packaging/rpm/macros.standin
         --define "kvmdesk_python $BIN/python"
         --define "kvmdesk_pytest_args tests/unit/test_main_show.py tests/unit/test_cli_docs.py tests/unit/translations/test_zh_cn_ui.py"
         --define "_source_payload w6.gzdio" --define "_binary_payload w6.gzdio")
quiet rpmbuild "${RPMDEFS[@]}" -bs packaging/rpm/kvmdesk.spec
quiet rpmbuild "${RPMDEFS[@]}" --nodeps -bb packaging/rpm/kvmdesk.spec
cp "$RPMTOP"/SRPMS/*.rpm "$RPMTOP"/RPMS/*/*.rpm "$DIST/"
rpm -qlp "$DIST"/kvmdesk-"$VERSION"-*.noarch.rpm | grep -E 'bin/|man1|completions|applications|metainfo|\.qm$'

step "rpmlint"
# Only the checks that make sense off Fedora: no dependency lookups, and
# packaging/rpm/rpmlint.toml names the warnings that remain and why.
rpmlint --strict -c packaging/rpm/rpmlint.toml "$DIST"/kvmdesk-"$VERSION"-*.rpm

step "Debian: dpkg-buildpackage"
tar -xzf "$DIST/kvmdesk-$VERSION.tar.gz" -C "$WORK"
(cd "$WORK/kvmdesk-$VERSION" && export KVMDESK_VENDOR_WHEELS=$VENDOR && quiet dpkg-buildpackage -us -uc -b)
DEB=$(ls "$WORK"/kvmdesk_"$VERSION"_*.deb)
cp "$DEB" "$DIST/"

step "lintian"
lintian --fail-on error,warning --info "$WORK"/kvmdesk_"$VERSION"_*.changes

if ! command -v apt-get >/dev/null 2>&1; then
    step "not Debian: the .deb is built and checked, not installed"
    exit 0
fi
step "apt-get install ./$(basename "$DEB")"
(cd "$DIST" && quiet "${APT[@]}" install --no-install-recommends "./$(basename "$DEB")")
/usr/bin/kvmdesk --version
# The desktop entry's Exec is what a menu runs: it must be the installed program.
exec_line=$(sed -n 's/^Exec=//p' /usr/share/applications/kvmdesk.desktop)
exec_path=$(command -v "${exec_line%% *}")
[ "$exec_path" = /usr/bin/kvmdesk ] || { echo "Exec=$exec_line runs '$exec_path'" >&2; exit 1; }
"$BIN/python" tests/packaging/smoke.py "$exec_path"
KVMDESK_INSTALLED_PYTHON=/usr/bin/python3 KVMDESK_INSTALLED_PATH=/usr/lib/kvmdesk \
    QT_QPA_PLATFORM=offscreen "$BIN/python" -m pytest -q -p no:cacheprovider \
    tests/unit/translations/test_zh_cn_ui.py
quiet "${APT[@]}" remove kvmdesk

step "done: $(cd "$DIST" && ls | tr '\n' ' ')"
