"""Sorting libvirt failures into kinds, from real and reconstructed errors."""

from __future__ import annotations

import socket
from collections.abc import Callable
from pathlib import Path

import libvirt
import pytest

from kvmdesk.virt.errors import ErrorKind, Failure, classify

Open = Callable[[str], libvirt.virConnect]
K = ErrorKind


def _error(code: int, message: str, domain: int = libvirt.VIR_FROM_RPC) -> libvirt.libvirtError:
    """A libvirtError as libvirt-python builds it, with a chosen err tuple."""
    exc = libvirt.libvirtError(message)
    exc.err = (code, domain, message, libvirt.VIR_ERR_ERROR, message, None, None, -1, -1)
    return exc


SYS = libvirt.VIR_ERR_SYSTEM_ERROR
SOCK = "/var/run/libvirt/libvirt-sock"

MESSAGES = [
    # local daemon
    (SYS, f"Failed to connect socket to '{SOCK}': No such file or directory", K.DAEMON_NOT_RUNNING),
    (SYS, f"Failed to connect socket to '{SOCK}': Connection refused", K.DAEMON_NOT_RUNNING),
    (SYS, f"Failed to connect socket to '{SOCK}': Permission denied", K.PERMISSION_DENIED),
    (
        libvirt.VIR_ERR_AUTH_UNAVAILABLE,
        "authentication unavailable: no polkit agent available to authenticate action "
        "'org.libvirt.unix.manage'",
        K.PERMISSION_DENIED,
    ),
    # URIs and drivers
    (libvirt.VIR_ERR_NO_CONNECT, "no connection driver available for foo:///", K.NO_DRIVER),
    (libvirt.VIR_ERR_INTERNAL_ERROR, "internal error: Unable to parse URI ::bad", K.BAD_URI),
    (libvirt.VIR_ERR_INVALID_ARG, "invalid argument: invalid URI qemu:/x", K.BAD_URI),
    # remote hosts
    (
        SYS,
        "Cannot recv data: ssh: Could not resolve hostname x: Name or service not known",
        K.NAME_NOT_RESOLVED,
    ),
    (
        SYS,
        "Cannot recv data: ssh: Could not resolve hostname x: Name or service not known: "
        "Connection reset by peer",
        K.NAME_NOT_RESOLVED,
    ),
    (
        SYS,
        "Cannot recv data: ssh: connect to host 10.0.0.9 port 22: No route to host: "
        "Connection reset by peer",
        K.HOST_UNREACHABLE,
    ),
    (
        SYS,
        "Cannot recv data: ssh: connect to host h port 22: Network is unreachable",
        K.HOST_UNREACHABLE,
    ),
    (
        SYS,
        "Cannot recv data: ssh: connect to host h port 22: Connection timed out",
        K.HOST_UNREACHABLE,
    ),
    (
        SYS,
        "Cannot recv data: root@h: Permission denied (publickey,password).: "
        "Connection reset by peer",
        K.AUTH_FAILED,
    ),
    (
        SYS,
        "Cannot recv data: ssh: connect to host h port 2222: Connection refused: "
        "Connection reset by peer",
        K.HOST_UNREACHABLE,
    ),
    # far side: no virt-ssh-helper / nc, no libvirtd (wrapped in an EOF message)
    (
        SYS,
        "End of file while reading data: sh: 1: nc: not found: Input/output error",
        K.REMOTE_HELPER_MISSING,
    ),
    (
        SYS,
        "End of file while reading data: bash: line 1: virt-ssh-helper: command not found: "
        "Input/output error",
        K.REMOTE_HELPER_MISSING,
    ),
    (
        SYS,
        "End of file while reading data: sh: 1: exec: netcat: not found: Input/output error",
        K.REMOTE_HELPER_MISSING,
    ),
    (
        SYS,
        "End of file while reading data: virt-ssh-helper: cannot connect to "
        "'qemu:///system': Failed to connect socket to '/var/run/libvirt/virtqemud-sock': "
        "No such file or directory: Input/output error",
        K.DAEMON_NOT_RUNNING,
    ),
    (
        SYS,
        "End of file while reading data: nc: unix connect failed: No such file or directory: "
        "Input/output error",
        K.DAEMON_NOT_RUNNING,
    ),
    (libvirt.VIR_ERR_AUTH_FAILED, "authentication failed: Failed to start SASL", K.AUTH_FAILED),
    (libvirt.VIR_ERR_AUTH_CANCELLED, "authentication cancelled: no password", K.AUTH_CANCELLED),
    # a dropped link
    (SYS, "End of file while reading data: Input/output error", K.CONNECTION_LOST),
    (SYS, "Cannot recv data: Connection reset by peer", K.CONNECTION_LOST),
    (SYS, "Cannot write data: Broken pipe", K.CONNECTION_LOST),
    (libvirt.VIR_ERR_INTERNAL_ERROR, "internal error: client socket is closed", K.CONNECTION_LOST),
    (
        libvirt.VIR_ERR_INVALID_CONN,
        "invalid connection pointer in virConnectGetURI",
        K.CONNECTION_LOST,
    ),
    (SYS, "connection closed due to keepalive timeout", K.CONNECTION_LOST),
    # domains and operations
    (libvirt.VIR_ERR_NO_DOMAIN, "Domain not found: no domain with matching uuid 'x'", K.NO_DOMAIN),
    (
        libvirt.VIR_ERR_OPERATION_INVALID,
        "Requested operation is not valid: domain is not running",
        K.INVALID_OPERATION,
    ),
    (
        libvirt.VIR_ERR_NO_SUPPORT,
        "this function is not supported by the connection driver: virDomainBlockPeek",
        K.NOT_SUPPORTED,
    ),
    (
        libvirt.VIR_ERR_OPERATION_TIMEOUT,
        "Timed out during operation: cannot acquire state change lock",
        K.TIMEOUT,
    ),
    (libvirt.VIR_ERR_INTERNAL_ERROR, "internal error: something odd", K.OTHER),
]


@pytest.mark.parametrize(("code", "message", "kind"), MESSAGES, ids=[m[1][:50] for m in MESSAGES])
def test_messages(code: int, message: str, kind: ErrorKind) -> None:
    failure = classify(_error(code, message))
    assert failure == Failure(kind, message, code)


def test_code_wins_over_text_except_for_no_connect() -> None:
    # VIR_ERR_NO_DOMAIN is decisive even when the text mentions a lost link
    exc = _error(libvirt.VIR_ERR_NO_DOMAIN, "Domain not found: Broken pipe")
    assert classify(exc).kind is K.NO_DOMAIN
    # VIR_ERR_NO_CONNECT is only a fallback; the text tells what really happened
    exc = _error(libvirt.VIR_ERR_NO_CONNECT, "Failed to connect socket to '/x': Permission denied")
    assert classify(exc).kind is K.PERMISSION_DENIED


def test_error_without_err_tuple_uses_str() -> None:
    exc = libvirt.libvirtError("End of file while reading data")
    exc.err = None
    failure = classify(exc)
    assert failure == Failure(K.CONNECTION_LOST, "End of file while reading data", 0)


def test_python_exceptions() -> None:
    assert classify(TimeoutError()) == Failure(K.TIMEOUT, "timed out")
    assert classify(TimeoutError("slow")).message == "slow"
    assert classify(PermissionError(13, "Permission denied")).kind is K.PERMISSION_DENIED
    assert classify(OSError("Connection refused")).kind is K.DAEMON_NOT_RUNNING
    assert classify(ValueError()) == Failure(K.OTHER, "ValueError")


# -- errors libvirt really raises ---------------------------------------------


def _open_error(uri: str) -> libvirt.libvirtError:
    with pytest.raises(libvirt.libvirtError) as info:
        libvirt.open(uri)
    return info.value


def test_real_unknown_driver() -> None:
    failure = classify(_open_error("foo:///x"))
    if failure.code == libvirt.VIR_ERR_SYSTEM_ERROR:
        # a daemon socket exists that nobody answers on: libvirt routes the
        # URI there and reports the socket instead of the missing driver
        assert failure.kind is K.DAEMON_NOT_RUNNING
        pytest.skip(f"foo:/// is routed to a daemon socket here: {failure.message}")
    assert failure.kind is K.NO_DRIVER
    assert "foo:///x" in failure.message
    assert failure.code == libvirt.VIR_ERR_NO_CONNECT


def test_real_unparsable_uri() -> None:
    assert classify(_open_error("::bad")).kind is K.BAD_URI


def test_real_missing_socket(tmp_path: Path) -> None:
    uri = f"qemu+unix:///system?socket={tmp_path / 'nonexistent'}"
    failure = classify(_open_error(uri))
    assert failure.kind is K.DAEMON_NOT_RUNNING
    assert "No such file or directory" in failure.message


def test_real_socket_nobody_listens_on(tmp_path: Path) -> None:
    path = tmp_path / "sock"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(path))
        failure = classify(_open_error(f"qemu+unix:///system?socket={path}"))
    assert failure.kind is K.DAEMON_NOT_RUNNING


def test_real_missing_test_driver_file(tmp_path: Path) -> None:
    """A test:/// file that does not exist is an XML error, no kind of its own."""
    failure = classify(_open_error(f"test://{tmp_path / 'missing.xml'}"))
    assert failure.kind is K.OTHER
    assert failure.code == libvirt.VIR_ERR_XML_ERROR


def test_real_missing_domain(virt: Open) -> None:
    conn = virt("empty.xml")
    with pytest.raises(libvirt.libvirtError) as info:
        conn.lookupByUUIDString("00000000-0000-4000-8000-00000000dead")
    assert classify(info.value).kind is K.NO_DOMAIN


def test_real_invalid_operation(virt: Open) -> None:
    conn = virt("lifecycle.xml")
    with pytest.raises(libvirt.libvirtError) as info:
        conn.lookupByName("transient").managedSave(0)
    assert classify(info.value).kind is K.INVALID_OPERATION


def test_real_not_supported(virt: Open) -> None:
    conn = virt("lifecycle.xml")
    with pytest.raises(libvirt.libvirtError) as info:
        conn.setKeepAlive(5, 3)
    assert classify(info.value).kind is K.NOT_SUPPORTED


def test_real_closed_connection(data_uri: Callable[[str], str]) -> None:
    conn = libvirt.open(data_uri("empty.xml"))
    conn.close()
    with pytest.raises(libvirt.libvirtError) as info:
        conn.getURI()
    assert classify(info.value).kind is K.CONNECTION_LOST
