"""A throwaway sshd on 127.0.0.1 with a private ssh client config.

``ssh_bed()`` generates host and user keys into a private directory, starts
``/usr/sbin/sshd -D -e`` on a free loopback port and writes a private ssh
client config with a ``Host`` alias per test host. The user's ``~/.ssh`` is
never read or written.

libvirt's ssh transport runs the ``ssh`` found on the client process's
``PATH``. ssh takes its configuration directory from the password database,
not from ``$HOME``, so pointing ``HOME`` elsewhere would not help: instead a
small ``ssh`` wrapper that adds ``-F <private config>`` is put first on
``PATH`` while the bed is up, and URIs such as ``qemu+ssh://kvmdesk-test/system``
reach the test sshd. The wrapper also appends each argv to ``argv.log``.

Used by the integration tests (``conftest_ssh.py``) and by ``make bench``.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shlex
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn


class BedUnavailable(RuntimeError):
    """The bed cannot be set up here; the message says why."""


SSHD = "/usr/sbin/sshd"
HOST = "kvmdesk-test"  # alias whose host key is known
UNKNOWN_KEY_HOST = "kvmdesk-test-unknown-key"  # same sshd, empty known_hosts
HOST_KEY_ALIAS = "kvmdesk-test-sshd"
START_SECONDS = 15.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


@dataclass
class SshBed:
    """A running test sshd and the private client config that reaches it."""

    root: Path
    port: int
    process: subprocess.Popen[bytes]
    client_config: Path
    known_hosts: Path
    user_key: Path
    argv_log: Path
    aliases: list[str] = field(default_factory=list)

    def add_host(self, alias: str, port: int | None = None, known_hosts: Path | None = None) -> str:
        """Add a ``Host`` alias to the client config (a proxy port, another known_hosts)."""
        block = [
            f"Host {alias}",
            "  HostName 127.0.0.1",
            f"  Port {port or self.port}",
            "  User root",
            f"  IdentityFile {self.user_key}",
            "  IdentitiesOnly yes",
            f"  UserKnownHostsFile {known_hosts or self.known_hosts}",
            # One known_hosts entry serves every port (the proxy's too).
            f"  HostKeyAlias {HOST_KEY_ALIAS}",
            "  GlobalKnownHostsFile /dev/null",
            "  StrictHostKeyChecking yes",
            "  BatchMode yes",
            "  ConnectTimeout 10",
            "",
        ]
        with self.client_config.open("a") as f:
            f.write("\n".join(block) + "\n")
        self.aliases.append(alias)
        return alias

    def ssh_pids(self, alias: str) -> list[int]:
        """Pids of ssh processes started by this process for ``alias`` (from /proc)."""
        me = os.getpid()
        pids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
                argv = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            if ppid != me or not argv or os.path.basename(argv[0]) != b"ssh":
                continue
            if alias.encode() in argv:
                pids.append(int(entry.name))
        return pids

    def log_text(self) -> str:
        with contextlib.suppress(OSError):
            return (self.root / "sshd.log").read_text(errors="replace")
        return ""


def key_host_block(
    alias: str, port: int, key: Path, known_hosts: Path, extra: tuple[str, ...] = ()
) -> str:
    """A ``Host`` block for ``key`` (one with a passphrase: BatchMode off, so
    that ssh asks through SSH_ASKPASS), three tries per question."""
    lines = [
        f"Host {alias}",
        "  HostName 127.0.0.1",
        f"  Port {port}",
        "  User root",
        f"  IdentityFile {key}",
        "  IdentitiesOnly yes",
        *(f"  {line}" for line in extra),
        f"  UserKnownHostsFile {known_hosts}",
        f"  HostKeyAlias {HOST_KEY_ALIAS}",
        "  GlobalKnownHostsFile /dev/null",
        "  StrictHostKeyChecking yes",
        "  BatchMode no",
        "  NumberOfPasswordPrompts 3",
        "  ConnectTimeout 10",
        "",
    ]
    return "\n".join(lines)


def _die_with_parent() -> None:
    """In the child before exec: sshd gets SIGTERM should the test process die."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _keygen(path: Path) -> None:
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "kvmdesk-test", "-f", str(path)],
        check=True,
        capture_output=True,
    )


def _start_sshd(root: Path, first: tuple[str, ...] = ()) -> tuple[subprocess.Popen[bytes], int]:
    """sshd with the bed's settings; ``first`` lines come before them (and so
    win: sshd takes the first value it reads for a keyword)."""
    # Privilege separation directory; packages create it only when the
    # service is started by the init system.
    Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)
    port = free_port()
    config = root / "sshd_config"
    config.write_text(
        "\n".join(
            [
                *first,
                "ListenAddress 127.0.0.1",
                f"Port {port}",
                f"HostKey {root / 'host_ed25519'}",
                f"AuthorizedKeysFile {root / 'authorized_keys'}",
                "PermitRootLogin prohibit-password",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "StrictModes no",
                "UsePAM no",
                f"PidFile {root / 'sshd.pid'}",
                "LogLevel VERBOSE",
                # sshd's default (10:30:100) drops handshakes beyond ten at
                # once: a fleet of hosts opening together would be refused.
                "MaxStartups 200:30:400",
                "",
            ]
        )
    )
    log = (root / "sshd.log").open("wb")
    proc = subprocess.Popen(
        [SSHD, "-D", "-e", "-f", str(config)],
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        preexec_fn=_die_with_parent,
    )
    log.close()
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        if _port_open(port):
            return proc, port
        time.sleep(0.05)
    _stop(proc)
    text = (root / "sshd.log").read_text(errors="replace")
    raise RuntimeError(f"sshd did not listen on 127.0.0.1:{port}: {text.strip()}")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


@contextlib.contextmanager
def ssh_bed() -> Iterator[SshBed]:
    """sshd on 127.0.0.1 with throwaway keys; ``ssh`` on PATH uses its private config."""
    real_ssh = shutil.which("ssh")
    if not os.access(SSHD, os.X_OK) or real_ssh is None or shutil.which("ssh-keygen") is None:
        _unavailable(
            "openssh-server / openssh-client missing (scripts/install-system-deps.sh test)"
        )
    if os.geteuid() != 0:
        _unavailable("the ssh tests log in as root and need root to start sshd")
    if shutil.which("virt-ssh-helper") is None and shutil.which("nc") is None:
        _unavailable("neither virt-ssh-helper nor nc: libvirt's ssh transport has no remote end")
    root = Path(tempfile.mkdtemp(prefix="kvmdesk-ssh-"))
    root.chmod(0o755)  # the daemon side reads test-driver files under it
    try:
        _keygen(root / "host_ed25519")
        _keygen(root / "user_ed25519")
        shutil.copy(root / "user_ed25519.pub", root / "authorized_keys")
        proc, port = _start_sshd(root)
    except (OSError, subprocess.CalledProcessError, RuntimeError) as exc:
        shutil.rmtree(root, ignore_errors=True)
        _unavailable(f"cannot start the test sshd: {exc}")

    host_key = (root / "host_ed25519.pub").read_text().split()
    known_hosts = root / "known_hosts"
    known_hosts.write_text(f"{HOST_KEY_ALIAS} {host_key[0]} {host_key[1]}\n")
    empty_known_hosts = root / "known_hosts.empty"
    empty_known_hosts.write_text("")

    bin_dir = root / "bin"
    bin_dir.mkdir()
    argv_log = root / "argv.log"
    client_config = root / "ssh_config"
    client_config.write_text("")
    wrapper = bin_dir / "ssh"
    wrapper.write_text(
        "#!/bin/sh\n"
        f'printf "%s\\n" "$*" >> {shlex.quote(str(argv_log))}\n'
        f'exec {shlex.quote(real_ssh)} -F {shlex.quote(str(client_config))} "$@"\n'
    )
    wrapper.chmod(0o755)

    bed = SshBed(
        root=root,
        port=port,
        process=proc,
        client_config=client_config,
        known_hosts=known_hosts,
        user_key=root / "user_ed25519",
        argv_log=argv_log,
    )
    bed.add_host(HOST)
    bed.add_host(UNKNOWN_KEY_HOST, known_hosts=empty_known_hosts)

    old_path = os.environ.get("PATH")
    os.environ["PATH"] = f"{bin_dir}{os.pathsep}{old_path or os.defpath}"
    try:
        probe = subprocess.run(
            ["ssh", HOST, "true"], capture_output=True, text=True, timeout=30, check=False
        )
        if probe.returncode != 0:
            _unavailable(f"ssh to the test sshd fails: {probe.stderr.strip()}\n{bed.log_text()}")
        yield bed
    finally:
        if old_path is None:
            os.environ.pop("PATH", None)
        else:
            os.environ["PATH"] = old_path
        _stop(proc)
        shutil.rmtree(root, ignore_errors=True)


def _unavailable(reason: str) -> NoReturn:
    raise BedUnavailable(reason)
