"""Messages built from parts: punctuation and spacing, in English and in Chinese.

A sentence is often built from a template and words that come from
elsewhere: libvirt's reason for a failure ("stream had I/O failure", no
full stop), a unit that a field does not have, a second sentence added
after the first. Each composer below is called with such parts, and what
it returns is checked for the mistakes this produces: a space before a
full stop ("at most 2 ."), two sentences run together ("failure It
attaches"), doubled punctuation, a placeholder left unfilled.

The same messages are checked in Chinese once a translation is installed
(resources/translations/kvmdesk_zh_CN.qm): no ASCII full stop or space
around Chinese punctuation, no space between Chinese characters.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

from kvmdesk.core import messages
from kvmdesk.core.console import ConsoleState, not_running_text
from kvmdesk.core.steps import LinkLost, checking_text, lost_text
from kvmdesk.paths import RESOURCES
from kvmdesk.ui.domain.console.console_page import ConsolePage
from kvmdesk.ui.main.define_questions import identity_taken_text, lost_link_text
from kvmdesk.ui.main.delete_dialog import outcome_message
from kvmdesk.ui.main.delete_lost import lost_delete_text
from kvmdesk.ui.new_vm import wording
from kvmdesk.virt.define import DefineCheck, Defined, Existing, Mode
from kvmdesk.virt.delete import DeleteCheck, DeleteOutcome, DeletePlan
from kvmdesk.virt.disk_paths import HostDevice, PathCheck
from kvmdesk.virt.errors import ErrorKind, Failure
from kvmdesk.virt.plan_checks import PlanInputError
from kvmdesk.virt.provision import ProvisionCheck, ProvisionOutcome, Step
from kvmdesk.virt.steps import Journal
from kvmdesk.virt.steps import Step as JournalStep

# Words from libvirt and the OS, as they come: without a full stop, with
# one, with a colon at the end.
REASONS = ["stream had I/O failure", "End of file while reading data.", "internal error:"]
LOST = Failure(ErrorKind.CONNECTION_LOST, "End of file while reading data: Input/output error")


# ---------------------------------------------------------------- the rules

# A sentence that ends without punctuation and the next one that begins.
_STARTERS = (
    "It|Its|The|This|These|Those|That|Nothing|No|Your|Press|Check|Shut|Change|Use|Show"
    "|After|Whether|Deleted|Still|Existing|A|An|kvmdesk|Reload|Start|Join|Install"
)
_RUN_ON = re.compile(rf"[a-z0-9)] (?:{_STARTERS})\b")
_ENGLISH = [
    (re.compile(r" [.,;:!?)]"), "a space before punctuation"),
    (re.compile(r"\( "), "a space after an opening bracket"),
    (re.compile(r"[^ \n]  +[^ ]"), "two spaces"),
    (re.compile(r"\.\.|[.:;,] ?[.:;,]"), "doubled punctuation"),
    (re.compile(r"\{\d\}"), "a placeholder left unfilled"),
    (re.compile(r"[ \t]$|^[ \t]", re.M), "space at the start or end of a line"),
    (_RUN_ON, "two sentences run together"),
]
_CJK = "\u4e00-\u9fff"
_CJK_PUNCT = "，。：；！？、（）“”"
_CHINESE = [
    (re.compile(rf" [{_CJK_PUNCT}]|[{_CJK_PUNCT}] "), "a space next to Chinese punctuation"),
    (re.compile(rf"[{_CJK}][.,:;!?]"), "ASCII punctuation after a Chinese character"),
    (re.compile(rf"[{_CJK}] [{_CJK}]"), "a space between Chinese characters"),
    # A full stop may be followed by a quotation or bracket that opens the
    # next sentence (。“) or closes a quoted one (。”), not by more punctuation.
    (re.compile(r"[，。：；！？、.][。.]|[。.][，。：；！？、]"), "doubled punctuation"),
    (re.compile(r"\{\d\}"), "a placeholder left unfilled"),
]


def problems(text: str, language: str, *, sentence: bool = True) -> list[str]:
    """What is wrong with the punctuation and spacing of ``text``."""
    rules = _CHINESE if language == "zh_CN" else _ENGLISH
    found = [f"{why}: {m.group()!r}" for rule, why in rules for m in rule.finditer(text)]
    if sentence and text.rstrip()[-1:] not in ".!?…。！？”":
        found.append(f"no full stop at the end: {text[-20:]!r}")
    return found


def test_the_rules_catch_the_mistakes_seen() -> None:
    assert problems("CPUs: this host has at most 2 .", "en")
    assert problems("Disconnected: stream had I/O failure It attaches again when it can.", "en")
    assert problems("Saved..", "en") and problems("Line {0} failed.", "en")
    assert problems("已断开： 流失败。", "zh_CN") and problems("已断开。它会重新连接.", "zh_CN")
    assert not problems("Disconnected: stream had I/O failure. It attaches again.", "en")
    assert not problems("已断开：stream had I/O failure。它会重新连接。", "zh_CN")


# ---------------------------------------------------------------- languages


@pytest.fixture(params=["en", "zh_CN"])
def language(request: pytest.FixtureRequest, qapp: Any) -> Iterator[str]:
    """English as written; Chinese through the installed translation."""
    if request.param == "en":
        yield "en"
        return
    translations = RESOURCES / "translations"
    translator = QTranslator()
    if not translator.load(QLocale("zh_CN"), "kvmdesk", "_", str(translations)):
        pytest.skip(f"no Chinese translation in {translations} yet")
    QCoreApplication.installTranslator(translator)
    try:
        yield "zh_CN"
    finally:
        QCoreApplication.removeTranslator(translator)


# ---------------------------------------------------------------- the messages


def _journal(done: int) -> Journal:
    journal = Journal([JournalStep("read", writes=False), JournalStep("define"), JournalStep("x")])
    for key in ["read", "define"][:done]:
        journal.begin(key)
        journal.done(key)
    if done < 2:
        journal.begin("define")
    return journal


NAMES = {"read": "reading", "define": "defining", "x": "reading back"}


def _lost(state: Any, done: int = 2) -> LinkLost[Any]:
    return LinkLost(_journal(done), LOST, state)


def _plan() -> DeletePlan:
    return DeletePlan(uuid="u", name="vm", xml="<domain/>", active=False, choices=())


def _existing(**kw: Any) -> Existing:
    base = {
        "name": "beta",
        "uuid": "b2b2",
        "xml": "<domain/>",
        "active": False,
        "persistent": True,
        "same_name": True,
        "same_uuid": False,
    }
    base.update(kw)
    return Existing(**base)


def _device(**kw: Any) -> PathCheck:
    device = HostDevice(device="/dev/vda", whole_disk=True, **kw)
    return PathCheck(path="/srv/link", target="/dev/vda", block=True, device=device)


def _composed(qtbot: Any) -> Iterator[tuple[str, str, bool]]:
    """(what, message, is a sentence) for every composer, with awkward parts."""
    page = ConsolePage()
    qtbot.addWidget(page)
    for reason in [*REASONS, not_running_text()]:
        yield "console status", page._texts(ConsoleState.DISCONNECTED, reason)[0], True
    for field, limit in (("vcpus", 2), ("memory", 2048)):
        error = PlanInputError(field, "above", "99999", limit)
        yield f"{field} above", wording.input_message(error), True
    for reason in REASONS:
        outcome = ProvisionOutcome(name="vm", failed_step=Step.DEFINE)
        outcome.failure = Failure(ErrorKind.OTHER, reason)
        yield "creation outcome", wording.outcome_text(outcome)[0].split("\n")[0], True
        outcome.failure = None
        outcome.input_error = PlanInputError("vcpus", "above", "9", 2)
        yield "creation refused", wording.outcome_text(outcome)[0], True
    for reason in REASONS:
        yield "sentences", messages.sentences(reason, "It attaches again."), True
        yield "sentence", messages.sentence(reason), True
    for done in (0, 2):
        yield "checking", checking_text(_journal(done), NAMES), True
        yield "lost", lost_text(_lost(None, done), NAMES), True
        yield "lost and checked", lost_text(_lost("found", done), NAMES), True
    defined = Defined("beta", "b2b2", True, False)
    for check in (None, DefineCheck(True, defined), DefineCheck(False, None)):
        for mode in Mode:
            yield "define lost", lost_link_text(_lost(check), mode, "beta"), True
    for existing in (
        _existing(),
        _existing(same_name=False, same_uuid=True),
        _existing(same_uuid=True, active=True),
        _existing(same_uuid=True, other_name="alpha"),
    ):
        yield "identity taken", identity_taken_text(existing, Mode.DEFINE), True
    for check in (
        None,
        DeleteCheck("vm", False, ("/a",), ("/b",)),
        DeleteCheck("vm", True, (), ()),
    ):
        head, details = lost_delete_text(_lost(check), _plan())
        yield "delete lost", head, True
        lines = details.splitlines()
        if len(lines) > 1:
            yield "delete lost state", lines[1], True
        for line in lines[2:]:  # "Deleted: /path" items: spacing only
            yield "delete lost line", line, False
    outcome = DeleteOutcome(name="vm", undefine_error="internal error:")
    for line in outcome_message(outcome)[1].splitlines():
        yield "delete outcome", line, False
    for check in (
        None,
        ProvisionCheck("vm", "u", True, ("p/v",)),
        ProvisionCheck("vm", "", False, ()),
    ):
        head, now = wording.lost_link_text(_lost(check), NAMES)
        yield "creation lost", head, True
        for line in now.splitlines()[1:]:
            yield "creation lost line", line, True
    for kw in ({}, {"mounted": (("/dev/vda", "/"),), "swap": ("/dev/vda2",)}, {"busy": True}):
        yield "host device", wording.host_device_text(_device(**kw)), True
    remote = PathCheck(path="/srv/x", target="/dev/sdb", block=True)
    yield "remote device", wording.host_device_text(remote), True
    used = PathCheck(path="/srv/link", target="/srv/real", used_by=("a", "b"))
    yield "used disk", wording.used_disk_text(used), True


def test_composed_messages_are_punctuated_and_spaced(language: str, qtbot: Any, qapp: Any) -> None:
    wrong = []
    for what, text, sentence in _composed(qtbot):
        found = problems(text, language, sentence=sentence)
        if found:
            wrong.append(f"{what}: {text!r}: {'; '.join(found)}")
    assert not wrong, "\n".join(wrong)


# A few templates in Chinese, as a translator would write them: the pieces
# that join sentences must follow the language, not English spacing. The
# contexts are the ones lupdate files them under: "" for tr(...), the class
# for self.tr(...) (docs/architecture.md, "Translations").
SAMPLE = {
    ("", "{0}.", "a sentence built from parts, given its full stop"): "{0}。",
    ("", "{0} {1}", "two sentences one after the other"): "{0}{1}",
    ("", "{0}; {1}", "items of a list inside a sentence"): "{0}；{1}",
    ("ConsolePage", "Disconnected: {0}", ""): "已断开：{0}",
    ("ConsolePage", "It attaches again when it can.", ""): "可以时会自动重新连接。",
    ("", "The connection was lost {0}.", ""): "连接{0}断开。",
    ("", "after step {0} of {1} ({2})", ""): "在第 {0}/{1} 步（{2}）之后",
    ("", "Your edit is still in the editor.", ""): "您的修改仍在编辑器中。",
}


@pytest.fixture
def sample_chinese(tmp_path: Path, qapp: Any) -> Iterator[None]:
    """The SAMPLE templates compiled with lrelease and installed."""
    import shutil
    import subprocess
    import sys
    from xml.sax.saxutils import escape

    contexts: dict[str, list[str]] = {}
    for (context, source, comment), translation in SAMPLE.items():
        note = f"<comment>{escape(comment)}</comment>" if comment else ""
        contexts.setdefault(context, []).append(
            f"<message><source>{escape(source)}</source>{note}"
            f"<translation>{escape(translation)}</translation></message>"
        )
    body = "".join(
        f"<context><name>{name}</name>{''.join(items)}</context>"
        for name, items in contexts.items()
    )
    ts = tmp_path / "sample_zh_CN.ts"
    ts.write_text(
        f'<?xml version="1.0" encoding="utf-8"?><!DOCTYPE TS><TS version="2.1" '
        f'language="zh_CN">{body}</TS>',
        encoding="utf-8",
    )
    lrelease = shutil.which("pyside6-lrelease") or str(
        Path(sys.executable).parent / "pyside6-lrelease"
    )
    qm = tmp_path / "sample_zh_CN.qm"
    subprocess.run([lrelease, str(ts), "-qm", str(qm)], check=True, capture_output=True)
    translator = QTranslator()
    assert translator.load(str(qm))
    QCoreApplication.installTranslator(translator)
    try:
        yield
    finally:
        QCoreApplication.removeTranslator(translator)


def test_the_composers_follow_chinese_punctuation(sample_chinese: None, qtbot: Any) -> None:
    page = ConsolePage()
    qtbot.addWidget(page)
    status = page._texts(ConsoleState.DISCONNECTED, "stream had I/O failure")[0]
    assert status == "已断开：stream had I/O failure。可以时会自动重新连接。"
    lost = lost_text(_lost(None), NAMES)
    assert lost.startswith("连接在第 2/3 步（defining）之后断开。")
    joined = messages.sentences(
        lost_text(_lost("found"), NAMES), messages.tr("Your edit is still in the editor.")
    )
    assert joined == "连接在第 2/3 步（defining）之后断开。您的修改仍在编辑器中。"
    for text in (status, joined):
        assert not problems(text, "zh_CN"), text
    listed = messages.join_list(["a 已挂载", "b 是交换区"])
    assert listed == "a 已挂载；b 是交换区"
    assert not problems(listed, "zh_CN", sentence=False)


def test_the_translation_path_is_where_the_application_loads_it() -> None:
    """The Chinese run above looks where kvmdesk.app loads translations from."""
    import inspect

    from kvmdesk import app
    from kvmdesk.paths import TRANSLATIONS

    assert "TRANSLATIONS" in inspect.getsource(app.install_translations)
    assert TRANSLATIONS == RESOURCES / "translations"
    assert isinstance(RESOURCES, Path)
