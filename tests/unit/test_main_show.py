"""virt-manager's options: ``--show-*``, ``--no-fork``, Qt's own options, ``--version``."""

from __future__ import annotations

from typing import Any

import pytest

import kvmdesk.app
from kvmdesk.__main__ import main, split_qt_options
from kvmdesk.ui.main.startup_request import StartupView, View
from kvmdesk.version import kvmdesk_version


@pytest.fixture
def gui_calls(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = []

    def fake_run_gui(uris: list[str], **kwargs: Any) -> int:
        calls.append({"uris": list(uris), **kwargs})
        return 0

    monkeypatch.setattr(kvmdesk.app, "run_gui", fake_run_gui)
    return calls


@pytest.mark.parametrize(
    ("option", "view", "domain"),
    [
        (["--show-domain-console", "web 1"], View.CONSOLE, "web 1"),
        (["--show-domain-editor", "7"], View.EDITOR, "7"),
        (["--show-domain-performance", "web"], View.PERFORMANCE, "web"),
        (["--show-domain-snapshots", "web"], View.SNAPSHOTS, "web"),
        (["--show-domain-delete", "web"], View.DELETE, "web"),
        (["--show-domain-creator"], View.CREATOR, ""),
        (["--show-host-summary"], View.HOST, ""),
    ],
)
def test_show_option_reaches_the_gui(
    gui_calls: list[dict[str, Any]], option: list[str], view: View, domain: str
) -> None:
    assert main(["-c", "test:///default", *option]) == 0
    assert gui_calls[0]["startup"] == StartupView(view, "test:///default", domain)


def test_the_last_connect_uri_is_the_one_shown(gui_calls: list[dict[str, Any]]) -> None:
    main(["-c", "test:///default", "-c", "qemu:///session", "--show-host-summary"])
    assert gui_calls[0]["uris"] == ["test:///default", "qemu:///session"]
    assert gui_calls[0]["startup"].uri == "qemu:///session"


def test_no_show_option_means_no_startup_view(gui_calls: list[dict[str, Any]]) -> None:
    main(["-c", "test:///default"])
    assert gui_calls[0]["startup"] is None


@pytest.mark.parametrize(
    "option", [["--show-domain-console", "vm"], ["--show-domain-creator"], ["--show-host-summary"]]
)
def test_show_option_without_connect_is_refused(
    gui_calls: list[dict[str, Any]], capsys: pytest.CaptureFixture[str], option: list[str]
) -> None:
    with pytest.raises(SystemExit) as exc:
        main(option)
    assert exc.value.code == 2
    assert "needs --connect URI" in capsys.readouterr().err
    assert gui_calls == []


def test_two_show_options_are_refused(
    gui_calls: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        main(["-c", "test:///default", "--show-host-summary", "--show-domain-creator"])
    assert "not allowed with" in capsys.readouterr().err
    assert gui_calls == []


def test_show_option_with_an_unsafe_uri_is_refused_first(gui_calls: list[dict[str, Any]]) -> None:
    assert main(["-c", "qemu+ssh://h/system?command=/bin/sh", "--show-host-summary"]) == 2
    assert gui_calls == []


def test_no_fork_is_accepted_and_changes_nothing(gui_calls: list[dict[str, Any]]) -> None:
    assert main(["--no-fork", "-c", "test:///default"]) == 0
    assert gui_calls[0]["uris"] == ["test:///default"] and gui_calls[0]["startup"] is None


def test_qt_options_go_to_qt(gui_calls: list[dict[str, Any]]) -> None:
    argv = ["-style", "fusion", "-c", "test:///default", "-reverse", "--platform=offscreen"]
    assert main(argv) == 0
    assert gui_calls[0]["qt_args"] == ["-style", "fusion", "-reverse", "--platform=offscreen"]
    assert gui_calls[0]["uris"] == ["test:///default"]


@pytest.mark.parametrize(
    ("argv", "ours", "qt"),
    [
        (["-stylesheet", "a.qss", "--demo"], ["--demo"], ["-stylesheet", "a.qss"]),
        (
            ["-qwindowgeometry=800x600", "-widgetcount"],
            [],
            ["-qwindowgeometry=800x600", "-widgetcount"],
        ),
        (["-c", "-style"], ["-c"], ["-style"]),  # a value missing at the end stays Qt's problem
        (["--", "-style"], ["--", "-style"], []),
        (["--stylish"], ["--stylish"], []),
    ],
)
def test_split_qt_options(argv: list[str], ours: list[str], qt: list[str]) -> None:
    assert split_qt_options(argv) == (ours, qt)


def test_version_comes_from_the_package_metadata(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out == f"kvmdesk {kvmdesk_version()}\n"
    assert kvmdesk_version()[0].isdigit()
