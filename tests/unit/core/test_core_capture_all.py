"""Capture all running domains of a connection into a folder (test driver),
and the screenshot interval setting."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from kvmdesk.core.capture_all import CaptureAll, CaptureOutcome, summary
from kvmdesk.core.command_log import Outcome
from kvmdesk.core.connection import Connection
from kvmdesk.core.settings import Settings
from kvmdesk.virt.screenshot.naming import TemplateError

OpenConn = Callable[[str], Connection]


def _png_text(path: Path) -> tuple[tuple[int, int], dict[str, str]]:
    with Image.open(path) as img:
        assert img.format == "PNG"
        img.load()
        return img.size, dict(img.text)  # type: ignore[attr-defined]


def test_every_running_domain_is_written_with_its_metadata(
    open_connection: OpenConn, run: Any, tmp_path: Path
) -> None:
    conn = open_connection("names.xml")
    running = sorted(r.name for r in conn.domains.values() if r.state.is_active)
    assert len(running) >= 2
    job = CaptureAll(conn, tmp_path, "{domain}.png")
    progress: list[tuple[int, int, str]] = []
    job.progress.connect(lambda *args: progress.append(args))
    outcome = run(job.run())

    assert not outcome.failed and not outcome.cancelled
    assert outcome.listed == len(running)
    assert sorted(name for name, _path in outcome.written) == running
    for name, path in outcome.written:
        assert path.parent == tmp_path and path.exists()
        assert not path.name.startswith((".", "-")) and "/" not in path.name
        size, text = _png_text(path)
        assert size[0] > 0 and size[1] > 0
        assert text["kvmdesk:domain"] == name
        assert text["kvmdesk:uri"] == conn.uri
        assert text["Creation Time"].endswith("Z")
    # the odd name of fixture names.xml is sanitised
    assert all(p.name.isprintable() and "<" not in p.name for _n, p in outcome.written)
    assert progress[-1] == (len(running), len(running), "")
    assert [p[0] for p in progress[:-1]] == list(range(len(running)))

    head, details = summary(outcome)
    assert head == f"Saved {len(running)} screenshots."
    assert all(path.name in details for _n, path in outcome.written)


def test_existing_files_are_never_overwritten(
    open_connection: OpenConn, run: Any, tmp_path: Path
) -> None:
    conn = open_connection("two-domains.xml")  # alpha runs, beta is shut off
    (tmp_path / "alpha.png").write_bytes(b"keep me")
    outcome = run(CaptureAll(conn, tmp_path, "{domain}.png").run())
    assert [(n, p.name) for n, p in outcome.written] == [("alpha", "alpha_2.png")]
    assert (tmp_path / "alpha.png").read_bytes() == b"keep me"
    again = run(CaptureAll(conn, tmp_path, "{domain}.png").run())
    assert [p.name for _n, p in again.written] == ["alpha_3.png"]


def test_failures_are_reported_in_plain_words(
    open_connection: OpenConn, run: Any, tmp_path: Path
) -> None:
    conn = open_connection("two-domains.xml")
    missing = tmp_path / "missing"
    outcome = run(CaptureAll(conn, missing, "{domain}.png").run())
    assert outcome.written == [] and outcome.failed == [
        ("", f"The folder {missing} does not exist.")
    ]
    assert summary(outcome)[0] == "No screenshot was saved."


def test_a_file_that_cannot_be_written_is_reported_and_the_rest_goes_on(
    open_connection: OpenConn, run: Any, tmp_path: Path
) -> None:
    conn = open_connection("names.xml")
    folder = tmp_path / "shots"
    folder.mkdir()
    job = CaptureAll(conn, folder, "{domain}.png")

    def vanish(done: int, _total: int, _name: str) -> None:
        if done == 1:  # the folder goes away after the first file
            for path in folder.iterdir():
                path.unlink()
            folder.rmdir()

    job.progress.connect(vanish)
    outcome = run(job.run())
    assert len(outcome.written) == 1
    assert len(outcome.failed) == outcome.listed - 1 >= 1
    assert all("could not be written" in why for _name, why in outcome.failed)
    # Each capture is logged as virsh screenshot: the file written, or the one
    # meant and why it was not.
    entries = conn.command_log.entries
    assert [e.outcome for e in entries] == [Outcome.OK] + [Outcome.FAILED] * len(outcome.failed)
    first = entries[0].command.lines[0]
    name, path = outcome.written[0]
    assert first[3:] == ("screenshot", "--domain", name, "--file", str(path), "--screen", "0")
    assert all("could not be written" in e.error for e in entries[1:])
    assert all(Path(e.command.lines[0][-3]).parent == folder for e in entries)
    head, details = summary(outcome)
    assert head == f"Saved 1 screenshot; {len(outcome.failed)} failed."
    assert outcome.failed[0][0] in details


def test_bad_template_is_refused_before_anything_runs(
    open_connection: OpenConn, tmp_path: Path
) -> None:
    conn = open_connection("two-domains.xml")
    with pytest.raises(TemplateError):
        CaptureAll(conn, tmp_path, "{name}.png")


def test_cancel_stops_before_the_next_domain(
    open_connection: OpenConn, run: Any, tmp_path: Path
) -> None:
    conn = open_connection("names.xml")
    job = CaptureAll(conn, tmp_path, "{domain}.png")
    job.progress.connect(lambda done, _total, _name: job.cancel() if done == 1 else None)
    outcome = run(job.run())
    assert outcome.cancelled
    assert len(outcome.written) == 1
    assert summary(outcome)[0] == f"Stopped after 1 of {outcome.listed} screenshots."


def test_connection_without_running_domains(
    open_connection: OpenConn, run: Any, tmp_path: Path
) -> None:
    conn = open_connection("empty.xml")
    folder = tmp_path / "shots"
    folder.mkdir()
    outcome = run(CaptureAll(conn, folder, "{domain}.png").run())
    assert outcome == CaptureOutcome(listed=0)
    assert summary(outcome)[0] == "No virtual machine is running on this connection."
    assert list(folder.iterdir()) == []


def test_screenshot_interval_setting(tmp_path: Path) -> None:
    settings = Settings(tmp_path / "kvmdesk.ini")
    assert settings.screenshot_interval == 1.0
    settings.screenshot_interval = 0.25
    settings.sync()
    assert Settings(tmp_path / "kvmdesk.ini").screenshot_interval == 0.25
    settings.screenshot_interval = 0.01
    assert settings.screenshot_interval == 0.2
    settings.screenshot_interval = 600
    assert settings.screenshot_interval == 60.0
    (tmp_path / "bad.ini").write_text("[screenshot]\ninterval=fast\n")
    assert Settings(tmp_path / "bad.ini").screenshot_interval == 1.0
    (tmp_path / "nan.ini").write_text("[screenshot]\ninterval=nan\n")
    assert Settings(tmp_path / "nan.ini").screenshot_interval == 1.0
