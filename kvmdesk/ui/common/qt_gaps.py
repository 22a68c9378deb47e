"""Qt's own strings that Qt's Chinese catalogue (qtbase_zh_CN) leaves out.

Qt's dialogs are translated by qtbase's catalogue, which kvmdesk installs.
The few strings it lacks are carried in kvmdesk's catalogue under Qt's own
contexts: Qt asks for them itself, and QCoreApplication asks kvmdesk's
translator first. ``QT_TRANSLATE_NOOP`` only marks them for lupdate; nothing
needs to import this module.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

QT_OWN = (
    QT_TRANSLATE_NOOP("QFileDialog", "&Look in:"),
    QT_TRANSLATE_NOOP("QFileDialog", "Files of &type:"),
    QT_TRANSLATE_NOOP("QAbstractFileIconProvider", "Drive"),
    QT_TRANSLATE_NOOP("QAbstractFileIconProvider", "Folder"),
)
