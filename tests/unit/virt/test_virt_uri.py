"""URIs built from form fields, and the URIs refused before libvirt sees them."""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path

import libvirt
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kvmdesk.virt.errors import silence_stderr_printing
from kvmdesk.virt.uri import UriCode, UriFields, UriProblem, build_uri, check_uri, parse_uri

SHELL_META = set(";|&$`'\"<>()\\*?[]{}!#~ \t\n")


def _ssh(host: str, user: str | None = None, port: int | None = None) -> str:
    return build_uri("qemu", "ssh", user, host, port, "/system")


# -- building ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "uri"),
    [
        (("qemu", None, None, None, None, "/system"), "qemu:///system"),
        (("qemu", None, None, None, None, "/session"), "qemu:///session"),
        (("qemu", "ssh", None, "host.example", None, "/system"), "qemu+ssh://host.example/system"),
        (
            ("qemu", "ssh", "root", "host.example", 2222, "/system"),
            "qemu+ssh://root@host.example:2222/system",
        ),
        (
            ("qemu", "ssh", None, "2001:db8::1", 22, "/session"),
            "qemu+ssh://[2001:db8::1]:22/session",
        ),
        (
            ("qemu", "ssh", "józef", "10.0.0.1", None, "/system"),
            "qemu+ssh://j%C3%B3zef@10.0.0.1/system",
        ),
        (("qemu", "ssh", "a@b", "h", None, "/system"), "qemu+ssh://a%40b@h/system"),
        (("test", None, None, None, None, "/my hosts/a.xml"), "test:///my%20hosts/a.xml"),
        (
            ("qemu", "ssh", None, "fe80::1%eth0", None, "/system"),
            "qemu+ssh://[fe80::1%25eth0]/system",
        ),
    ],
)
def test_build_uri(
    args: tuple[str, str | None, str | None, str | None, int | None, str], uri: str
) -> None:
    assert build_uri(*args) == uri


def test_build_uri_with_parameters() -> None:
    uri = build_uri("qemu", "ssh", None, "h", None, "/system", {"no_tty": "1", "mode": "legacy"})
    assert uri == "qemu+ssh://h/system?no_tty=1&mode=legacy"
    assert check_uri(uri) is None


# -- good URIs --------------------------------------------------------------

GOOD = [
    "qemu:///system",
    "qemu:///session",
    "test:///default",
    "test:///srv/my%20hosts/lab.xml",
    "qemu+ssh://root@host.example/system",
    "qemu+ssh://host.example:2222/session",
    "qemu+ssh://admin@192.168.1.10/system",
    "qemu+ssh://[2001:db8::1]:22/system",
    "qemu+ssh://xn--bcher-kva.example/system",
    "qemu+libssh2://user@host/system?sshauth=agent,privkey",
    "qemu+tls://host.example:16514/system",
    "qemu+tcp://localhost:16509/system",
    "qemu+unix:///system?socket=/opt/libvirt/run/libvirt-sock",
    "qemu+ssh://h/system?no_tty=1&mode=direct&proxy=native",
    "qemu+ssh://h/system?no_verify=0&known_hosts_verify=normal",
    "QEMU+SSH://h/system",
]


@pytest.mark.parametrize("uri", GOOD)
def test_good_uris_pass(uri: str) -> None:
    assert check_uri(uri) is None
    assert isinstance(parse_uri(uri), UriFields)


def test_parse_uri_fields() -> None:
    fields = parse_uri("qemu+ssh://j%C3%B3zef@[2001:db8::1]:2222/system?no_tty=1")
    assert fields == UriFields(
        driver="qemu",
        transport="ssh",
        user="józef",
        host="2001:db8::1",
        port=2222,
        path="/system",
        params=(("no_tty", "1"),),
    )
    assert parse_uri("qemu:///system") == UriFields("qemu", path="/system")


# -- bad URIs ---------------------------------------------------------------

BAD_HOSTS = [
    ("-oProxyCommand=touch /tmp/PWN", UriCode.HOST),
    ("-oProxyCommand=touch%20/tmp/PWN", UriCode.HOST),
    ("host name", UriCode.HOST),
    ("host;reboot", UriCode.HOST),
    ("$(id)", UriCode.HOST),
    ("`id`", UriCode.HOST),
    ("host\nname", UriCode.CHARACTERS),
    ("host%00", UriCode.HOST),  # typed into the field: a literal "%"
    ("ex\u0430mple.com", UriCode.HOST_NOT_ASCII),  # Cyrillic a
    ("fe80::1%eth0", UriCode.IPV6_ZONE),
    ("host-.example", UriCode.HOST),
    ("-host.example", UriCode.HOST),
    ("a..b", UriCode.HOST),
    ("256.1.1.1", UriCode.HOST),
    ("010.0.0.1", UriCode.HOST),
    ("1.2.0x7f", UriCode.HOST),
    ("host_name", UriCode.HOST),
    ("h|x", UriCode.HOST),
    ("h&x", UriCode.HOST),
    ("h'x", UriCode.HOST),
    ('h"x', UriCode.HOST),
    ("h*x", UriCode.HOST),
    ("a" * 64 + ".example", UriCode.HOST),
]


@pytest.mark.parametrize(("host", "code"), BAD_HOSTS)
def test_bad_hosts_refused(host: str, code: UriCode) -> None:
    # Whether built from fields or pasted as written, the URI is refused.
    for uri in (_ssh(host), f"qemu+ssh://{host}/system"):
        problem = check_uri(uri, allow_unsafe=True)
        assert problem is not None and problem.refused, uri
        assert problem.message
        assert isinstance(parse_uri(uri), UriProblem)
    problem = check_uri(_ssh(host))
    assert problem is not None and problem.code is code, problem


@pytest.mark.parametrize(
    ("uri", "code"),
    [
        ("qemu+ssh://host%00/system", UriCode.CHARACTERS),
        ("qemu+ssh://host%0A/system", UriCode.CHARACTERS),
        ("qemu+ssh://ex%D0%B0mple.com/system", UriCode.HOST_NOT_ASCII),
        ("qemu+ssh://%2DoProxyCommand=x/system", UriCode.HOST),
        ("qemu+ssh://-oProxyCommand=x/system", UriCode.HOST),
        ("qemu+ssh://a@-oProxyCommand=x/system", UriCode.HOST),
    ],
)
def test_bad_pasted_hosts_refused(uri: str, code: UriCode) -> None:
    problem = check_uri(uri, allow_unsafe=True)
    assert problem is not None and problem.refused and problem.code is code, problem


def test_lookalike_host_message_names_the_character() -> None:
    problem = check_uri("qemu+ssh://ex\u0430mple.com/system")
    assert problem is not None
    assert "CYRILLIC SMALL LETTER A" in problem.message
    assert "ASCII" in problem.message


def test_ipv6_zone_is_refused_with_a_reason() -> None:
    problem = check_uri("qemu+ssh://[fe80::1%25eth0]/system")
    assert problem is not None and problem.code is UriCode.IPV6_ZONE
    assert "zone" in problem.message


@pytest.mark.parametrize(
    "user",
    ["a@b", "a:b", "-oProxyCommand=x", "-l", "a b", "a;b", "$(id)", "`id`", "a/b", "a\nb", "a\0b"],
)
def test_bad_users_refused(user: str) -> None:
    problem = check_uri(_ssh("host.example", user=user), allow_unsafe=True)
    assert problem is not None and problem.refused
    assert problem.code in (UriCode.USER, UriCode.CHARACTERS)


@pytest.mark.parametrize(
    "uri",
    [
        "qemu+ssh://a@b@host/system",
        "qemu+ssh://a:secret@host/system",
        "qemu+ssh://-l@host/system",
        "qemu+ssh://a%00@host/system",
    ],
)
def test_bad_pasted_users_refused(uri: str) -> None:
    problem = check_uri(uri, allow_unsafe=True)
    assert problem is not None and problem.refused


@pytest.mark.parametrize("port", ["0", "70000", "abc", "65536", "-1", "022", "", "1e3"])
def test_bad_ports_refused(port: str) -> None:
    problem = check_uri(f"qemu+ssh://host.example:{port}/system", allow_unsafe=True)
    assert problem is not None and problem.refused
    assert problem.code is UriCode.PORT


@pytest.mark.parametrize("port", [0, 70000, -1])
def test_bad_port_fields_refused(port: int) -> None:
    problem = check_uri(_ssh("host.example", port=port))
    assert problem is not None and problem.refused


@pytest.mark.parametrize(
    "uri",
    [
        "",
        "qemu",
        "qemu:/system",
        "qemu:///sys tem",
        "qemu:///system\x00",
        "qemu:///\u202esystem",
        "qemu:///system#x",
        "qemu+bogus://host/system",
        "qemu+ssh://host/elsewhere",
        "qemu+ssh://host/system?mode=sideways",
        "qemu+ssh://host/system?no_tty=yes",
        "qemu+ssh://host/system?socket=relative",
        "qemu+ssh://host/system?socket=/a%20b",
        "qemu+ssh://host/system?no_tty=1;command=/bin/sh",
        "qemu+ssh://host/system?no_tty=1&no_tty=0",
        "qemu+ssh://host/system?=x",
        "qemu+ssh://host/system?%zz=1",
        "qemu+ssh://host/system?socket=%00",
        "qemu+ssh://host/sys%0Atem",
        "qemu+ssh://host/system?sshauth=magic",
        "qemu+ssh://ho\\st/system",
        "qemu+ssh://fe80::1/system",
        "1qemu:///system",
    ],
)
def test_malformed_uris_refused_even_when_unsafe_is_allowed(uri: str) -> None:
    problem = check_uri(uri, allow_unsafe=True)
    assert problem is not None and problem.refused, uri
    assert problem.code is not UriCode.UNSAFE
    assert problem.message and "\n" not in problem.message


UNSAFE = [
    ("qemu+ssh://host/system?command=/tmp/evil", "program"),
    ("qemu+ssh://host/system?COMMAND=/tmp/evil", "program"),
    ("qemu+ssh://host/system?comm%61nd=/tmp/evil", "program"),
    ("qemu+ext:///system?command=/tmp/evil", "+ext"),
    ("qemu+ssh://host/system?netcat=/tmp/nc", "shell"),
    ("qemu+ssh://host/system?no_verify=1", "host keys"),
    ("qemu+tls://host/system?no_verify=1", "certificate"),
    ("qemu+libssh://host/system?known_hosts_verify=ignore", "host-key"),
    ("qemu+libssh://host/system?known_hosts_verify=auto", "without asking"),
    ("qemu+ssh://host/system?authfile=/tmp/auth.conf", "passwords"),
    ("qemu+ssh://host/system?keyfile=/etc/shadow", "private key"),
    ("qemu+tls://host/system?pkipath=/tmp/pki", "certificates"),
    ("qemu+libssh2://host/system?known_hosts=/tmp/kh", "host keys"),
    ("qemu+ssh://host/system?frobnicate=1", "does not know"),
    ("qemu+ssh://host/system?name=qemu:///system", "passed unchanged"),
]


@pytest.mark.parametrize(("uri", "words"), UNSAFE)
def test_unsafe_uris_refused_unless_allowed(uri: str, words: str) -> None:
    problem = check_uri(uri)
    assert problem is not None and problem.refused
    assert problem.code is UriCode.UNSAFE
    assert words in problem.warning
    allowed = check_uri(uri, allow_unsafe=True)
    assert allowed is not None and allowed.allowed and not allowed.refused
    assert allowed.warning == problem.warning
    assert isinstance(parse_uri(uri), UriFields)


def test_every_unsafe_part_is_named() -> None:
    problem = check_uri("qemu+ext:///system?command=/x&keyfile=/y&no_verify=1", allow_unsafe=True)
    assert problem is not None and problem.allowed
    lines = problem.warning.splitlines()
    assert len(lines) == 4
    assert any("+ext" in line for line in lines)
    assert any(line.startswith("command=") for line in lines)
    assert any(line.startswith("keyfile=") for line in lines)
    assert any(line.startswith("no_verify=") for line in lines)


# -- round trips --------------------------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        UriFields("qemu", "ssh", "root", "host.example", None, "/system"),
        UriFields("qemu", "ssh", "józef", "2001:db8::1", 2222, "/session"),
        UriFields("qemu", "ssh", None, "10.1.2.3", 65535, "/system"),
        UriFields("qemu", None, None, None, None, "/session"),
        UriFields("test", None, None, None, None, "/srv/my hosts/lab #1.xml"),
        UriFields("qemu", "tls", None, "a-b.c-d.example", 1, "/system"),
    ],
)
def test_good_fields_round_trip(fields: UriFields) -> None:
    uri = build_uri(
        fields.driver, fields.transport, fields.user, fields.host, fields.port, fields.path
    )
    assert check_uri(uri) is None, uri
    assert parse_uri(uri) == fields


LABEL = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?", fullmatch=True)
DNS = st.lists(LABEL, min_size=1, max_size=4).map(".".join)
IPV4 = st.ip_addresses(v=4).map(str)
IPV6 = st.ip_addresses(v=6).map(str)
HOSTS = st.one_of(
    DNS, IPV4, IPV6, st.text(max_size=30), st.text(alphabet="ab.-:%[]@ ;$`", max_size=12)
)
USERS = st.one_of(
    st.none(),
    st.from_regex(r"[a-z_][a-z0-9_.-]{0,10}", fullmatch=True),
    st.text(max_size=20),
)
PORTS = st.one_of(st.none(), st.integers(min_value=-5, max_value=70000))


def _fields(uri: str) -> UriFields:
    fields = parse_uri(uri)
    assert isinstance(fields, UriFields), fields
    return fields


@settings(max_examples=400, suppress_health_check=[HealthCheck.filter_too_much])
@given(host=HOSTS, user=USERS, port=PORTS, path=st.sampled_from(["/system", "/session"]))
def test_generated_fields_are_refused_or_round_trip(
    host: str, user: str | None, port: int | None, path: str
) -> None:
    uri = build_uri("qemu", "ssh", user, host, port, path)
    problem = check_uri(uri, allow_unsafe=True)
    if problem is not None:
        assert problem.refused and problem.message
        return
    fields = _fields(uri)
    assert fields == UriFields("qemu", "ssh", user or None, host or None, port, path)
    for text in (fields.user or "", fields.host or ""):
        assert not SHELL_META & set(text)
        assert not text.startswith("-")
        assert text.isprintable()


@settings(max_examples=300)
@given(st.text(max_size=60))
def test_arbitrary_text_never_breaks_the_checker(text: str) -> None:
    for uri in (text, "qemu+ssh://" + text, "qemu+ssh://h/system?" + text):
        problem = check_uri(uri, allow_unsafe=True)
        parsed = parse_uri(uri)
        if problem is None:
            assert isinstance(parsed, UriFields)
        else:
            assert problem.message


# -- what libvirt runs ------------------------------------------------------


@pytest.fixture
def fake_ssh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An ``ssh`` first on PATH that logs its argv (one JSON line) and fails.

    libvirt passes only a few variables to ssh, so the log path is written
    into the script.
    """
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "ssh.log"
    script = bin_dir / "ssh"
    script.write_text(
        f"#!{sys.executable}\n"
        "import json, sys\n"
        f"with open({str(log)!r}, 'a') as f:\n"
        "    f.write(json.dumps(sys.argv[1:]) + '\\n')\n"
        "sys.exit(255)\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    silence_stderr_printing()
    return log


def _run_libvirt(uri: str, log: Path) -> list[list[str]]:
    if log.exists():
        log.unlink()
    with pytest.raises(libvirt.libvirtError):
        libvirt.open(uri)
    return [json.loads(line) for line in log.read_text().splitlines()]


def test_libvirt_runs_ssh_with_the_fields_as_single_arguments(fake_ssh: Path) -> None:
    uri = build_uri("qemu", "ssh", "józef", "host.example", 2222, "/system", {"no_tty": "1"})
    assert check_uri(uri) is None
    (argv,) = _run_libvirt(uri, fake_ssh)
    # libvirt 9.0: ssh -p PORT -l USER -T -e none [-o BatchMode=yes] -- HOST COMMAND
    assert argv[:9] == ["-p", "2222", "-l", "józef", "-T", "-e", "none", "-o", "BatchMode=yes"]
    assert argv[9:11] == ["--", "host.example"]
    assert len(argv) == 12 and argv[11].startswith("sh -c ")


def test_ipv6_host_reaches_ssh_without_brackets(fake_ssh: Path) -> None:
    (argv,) = _run_libvirt("qemu+ssh://[2001:db8::1]/session", fake_ssh)
    assert argv[argv.index("--") + 1] == "2001:db8::1"


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    host=st.one_of(DNS, IPV4, IPV6, st.text(alphabet="-oPrxyCmand=a.; ", max_size=16)),
    user=st.one_of(st.none(), st.text(alphabet="-oxl =@:;a", max_size=8)),
    port=st.one_of(st.none(), st.integers(min_value=1, max_value=65535)),
)
def test_accepted_uris_give_ssh_only_the_fields(
    fake_ssh: Path, host: str, user: str | None, port: int | None
) -> None:
    uri = build_uri("qemu", "ssh", user, host, port, "/system")
    if check_uri(uri) is not None:
        return
    runs = _run_libvirt(uri, fake_ssh)
    assert len(runs) == 1
    argv = runs[0]
    dash = argv.index("--")
    options = argv[:dash]
    assert argv[dash + 1] == (host or "localhost")
    assert len(argv) == dash + 3
    assert "-o" not in options
    assert not any(a.startswith("-o") for a in options)
    expected: list[str] = []
    if port is not None:
        expected += ["-p", str(port)]
    if user:
        expected += ["-l", user]
    assert options == [*expected, "-T", "-e", "none"]
