"""A UNIX-socket display over ssh: what is refused before ssh runs, and ssh
failing by itself (a real ssh to a closed port), said once in ssh's words."""

from __future__ import annotations

import socket

import pytest

from kvmdesk.core.display_socket import open_socket_display
from kvmdesk.core.ssh_channel import Unreachable


def test_a_socket_path_that_is_not_plain_is_refused_in_words() -> None:
    with pytest.raises(Unreachable) as caught:
        open_socket_display("qemu+ssh://host.example/system", "/run/x;reboot")
    assert str(caught.value) == (
        "The display's socket path on the host is not a plain path: /run/x;reboot"
    )


def test_ssh_failing_by_itself_is_said_once_in_its_own_words() -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    uri = f"qemu+ssh://127.0.0.1:{port}/system"
    with pytest.raises(Unreachable) as caught:
        open_socket_display(uri, "/run/libvirt/qemu/vnc.sock")
    message = str(caught.value)
    assert message.startswith("The ssh tunnel failed: ")
    assert "Connection refused" in message
    assert "socat" not in message  # no relay was tried: ssh itself cannot log in
