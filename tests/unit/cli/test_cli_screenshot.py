"""``kvmdesk screenshot`` run in-process against the libvirt test driver."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import libvirt
import pytest
from PIL import Image

from kvmdesk.cli.screenshot import connection_label, main, sanitize

ALPHA = "a1a1a1a1-0000-4000-8000-000000000001"
NAME_RE = re.compile(r"^test-alpha-\d{8}-\d{6}(-\d+)?\.png$")


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str], list[str]]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out.splitlines(), err.splitlines()


def _check_png(path: Path, domain: str, uri: str) -> dict[str, str]:
    with Image.open(path) as img:
        assert img.format == "PNG"
        assert img.width > 0
        assert img.height > 0
        img.load()
        text: dict[str, str] = dict(img.text)  # type: ignore[attr-defined]
    assert text["kvmdesk:domain"] == domain
    assert text["kvmdesk:uri"] == uri
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", text["Creation Time"])
    return text


def test_one_domain_into_a_directory(
    data_uri: Callable[[str], str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    uri = data_uri("two-domains.xml")
    out_dir = tmp_path / "shots"
    out_dir.mkdir()
    code, out, err = _run(capsys, "-c", uri, "alpha", "-o", str(out_dir))
    assert code == 0, err
    assert err == []
    assert len(out) == 1
    path = Path(out[0])
    assert path.parent == out_dir
    assert NAME_RE.match(path.name), path.name
    text = _check_png(path, "alpha", uri)
    assert text["kvmdesk:uuid"] == ALPHA
    assert sorted(out_dir.iterdir()) == [path]


def test_one_domain_by_uuid_into_a_file(
    data_uri: Callable[[str], str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    uri = data_uri("two-domains.xml")
    target = tmp_path / "x.png"
    target.write_bytes(b"old")  # a named file is replaced
    code, out, err = _run(capsys, "-c", uri, ALPHA, "-o", str(target))
    assert code == 0, err
    assert out == [str(target)]
    _check_png(target, "alpha", uri)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["two-domains.xml", "x.png"]


def test_default_output_is_the_current_directory(
    data_uri: Callable[[str], str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    uri = data_uri("two-domains.xml")
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    code, out, _err = _run(capsys, "-c", uri, "alpha")
    assert code == 0
    assert len(out) == 1
    assert Path(out[0]).parent == work
    assert NAME_RE.match(Path(out[0]).name)


def test_directory_named_with_a_slash_is_created(
    data_uri: Callable[[str], str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    uri = data_uri("two-domains.xml")
    code, out, _err = _run(capsys, "-c", uri, "alpha", "-o", f"{tmp_path}/new/dir/")
    assert code == 0
    assert Path(out[0]).parent == tmp_path / "new" / "dir"


def test_existing_files_are_never_overwritten_in_a_directory(
    data_uri: Callable[[str], str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    uri = data_uri("two-domains.xml")
    out_dir = tmp_path / "shots"
    out_dir.mkdir()
    paths: list[str] = []
    for _ in range(3):
        code, out, _err = _run(capsys, "-c", uri, "alpha", "-o", str(out_dir))
        assert code == 0
        paths += out
    assert len(set(paths)) == 3
    assert all(Path(p).is_file() for p in paths)


def test_count_and_interval(
    data_uri: Callable[[str], str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    uri = data_uri("two-domains.xml")
    code, out, err = _run(
        capsys, "-c", uri, "alpha", "--count", "2", "--interval", "0", "-o", str(tmp_path)
    )
    assert code == 0, err
    assert len(out) == 2
    names = [Path(p).name for p in out]
    assert names[0].endswith("-1.png")
    assert names[1].endswith("-2.png")
    for p in out:
        assert NAME_RE.match(Path(p).name)
        _check_png(Path(p), "alpha", uri)


def test_all_running_domains(
    data_uri: Callable[[str], str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    uri = data_uri("two-domains.xml")
    code, out, err = _run(capsys, "-c", uri, "--all", "-o", str(tmp_path))
    assert code == 0, err
    assert len(out) == 1  # beta is shut off
    _check_png(Path(out[0]), "alpha", uri)


def test_all_with_awkward_names(
    data_uri: Callable[[str], str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    uri = data_uri("names.xml")
    conn = libvirt.open(uri)
    try:
        active = {d.name() for d in conn.listAllDomains(libvirt.VIR_CONNECT_LIST_DOMAINS_ACTIVE)}
    finally:
        conn.close()
    out_dir = tmp_path / "shots"
    out_dir.mkdir()
    code, out, err = _run(capsys, "-c", uri, "--all", "-o", str(out_dir))
    assert code == 0, err
    assert len(out) == len(active) > 1
    written = set()
    for p in out:
        path = Path(p)
        assert path.parent == out_dir  # no name escapes the directory
        assert not path.name.startswith((".", "-"))
        with Image.open(path) as img:
            written.add(img.text["kvmdesk:domain"])  # type: ignore[attr-defined]
    assert written == active


def test_unknown_domain_fails_with_one_line(
    data_uri: Callable[[str], str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    uri = data_uri("two-domains.xml")
    code, out, err = _run(capsys, "-c", uri, "gamma", "-o", str(tmp_path))
    assert code != 0
    assert out == []
    assert len(err) == 1
    assert "gamma" in err[0]
    assert "does not exist" in err[0]


def test_shut_off_domain_fails(
    data_uri: Callable[[str], str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    uri = data_uri("two-domains.xml")
    code, out, err = _run(capsys, "-c", uri, "beta", "-o", str(tmp_path))
    assert code != 0
    assert out == []
    assert len(err) == 1
    assert "beta" in err[0]
    assert "not running" in err[0]
    assert [p.name for p in tmp_path.iterdir()] == ["two-domains.xml"]


def test_one_failure_among_several_still_writes_the_others(
    data_uri: Callable[[str], str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    uri = data_uri("two-domains.xml")
    out_dir = tmp_path / "shots"
    out_dir.mkdir()
    code, out, err = _run(capsys, "-c", uri, "beta", "alpha", "-o", str(out_dir))
    assert code != 0
    assert len(out) == 1
    _check_png(Path(out[0]), "alpha", uri)
    assert len(err) == 1
    assert "beta" in err[0]


def test_connection_failure(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "-c", "nosuchdriver:///x", "alpha", "-o", str(tmp_path))
    assert code != 0
    assert out == []
    assert len(err) == 1
    assert "cannot connect to nosuchdriver:///x" in err[0]


def test_decode_failure_is_reported(
    data_uri: Callable[[str], str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from kvmdesk.virt import screenshot as shots

    real_capture = shots.capture

    def garbled(*args: object, **kwargs: object) -> shots.Screenshot:
        shot = real_capture(*args, **kwargs)  # type: ignore[arg-type]
        return shots.Screenshot(
            shot.data[:100], shot.mime, shot.uuid, shot.name, shot.screen, shot.taken_at
        )

    monkeypatch.setattr(shots, "capture", garbled)
    uri = data_uri("two-domains.xml")
    code, out, err = _run(capsys, "-c", uri, "alpha", "-o", str(tmp_path))
    assert code != 0
    assert out == []
    assert len(err) == 1
    assert "alpha" in err[0]
    assert "cut short" in err[0]


@pytest.mark.parametrize(
    "argv",
    [
        ["alpha", "--all"],
        [],
        ["alpha", "beta", "-o", "{tmp}/one.png"],
        ["alpha", "--count", "2", "-o", "{tmp}/one.png"],
        ["--all", "-o", "{tmp}/one.png"],
        ["alpha", "--count", "0"],
        ["alpha", "--delay", "-1"],
        ["alpha", "--interval", "nan"],
    ],
)
def test_usage_errors(
    data_uri: Callable[[str], str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
) -> None:
    uri = data_uri("two-domains.xml")
    args = ["-c", uri, *(a.replace("{tmp}", str(tmp_path)) for a in argv)]
    with pytest.raises(SystemExit) as exc:
        main(args)
    assert exc.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "error:" in err
    assert not (tmp_path / "one.png").exists()


def test_file_in_a_missing_directory_fails(
    data_uri: Callable[[str], str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    uri = data_uri("two-domains.xml")
    code, out, err = _run(capsys, "-c", uri, "alpha", "-o", str(tmp_path / "nope" / "x.png"))
    assert code != 0
    assert out == []
    assert len(err) == 1


@pytest.mark.parametrize(
    ("uri", "label"),
    [
        ("qemu:///system", "qemu-system"),
        ("qemu:///session", "qemu-session"),
        ("qemu+ssh://admin@host.example/system", "host.example"),
        ("qemu+tcp://192.0.2.7:16509/system", "192.0.2.7"),
        ("test:///tmp/x/two-domains.xml", "test"),
        ("test:///default", "test-default"),
    ],
)
def test_connection_label(uri: str, label: str) -> None:
    assert connection_label(uri) == label


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("alpha", "alpha"),
        ("../../etc/passwd", "etc_passwd"),
        ("lab <&\"'> test", "lab_test"),
        (".hidden", "hidden"),
        ("-rf", "rf"),
        ("виртуальная-машина", "виртуальная-машина"),
        ("Cafe\u0301-nfd", "Café-nfd"),
        ("🚀", "unnamed"),
    ],
)
def test_sanitize(name: str, safe: str) -> None:
    assert sanitize(name) == safe
