"""The "Add Storage Pool" dialog: the pool types the host supports, and what each needs.

It opens with a free name and, for a directory, a folder under
/var/lib/libvirt/images named after it (following the name until the user
changes the folder). Only the fields the chosen type needs are shown; a
local host gets Browse buttons for its folders and devices. Input is
checked with ``pool_types.check_spec`` and worded by ``input_message``; the
virsh commands that do the same (``virsh_commands.pool_create``) are shown
as the fields change, and are what the command log records.
"""

from __future__ import annotations

import posixpath

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from kvmdesk.core.messages import tr
from kvmdesk.ui.common.command_view import command_row
from kvmdesk.ui.host.storage_dialogs import _CheckedDialog
from kvmdesk.virt import virsh_commands
from kvmdesk.virt.commands import Command
from kvmdesk.virt.pool_types import DEFAULT_DIR, KINDS, NEEDS, PoolSpec, check_spec, default_name
from kvmdesk.virt.storage import InvalidStorageInput


def kind_text(kind: str) -> str:
    texts = {
        "dir": tr("Folder on the host"),
        "fs": tr("Formatted block device"),
        "netfs": tr("Network file system (NFS)"),
        "logical": tr("LVM volume group"),
        "disk": tr("Physical disk"),
        "iscsi": tr("iSCSI target"),
        "scsi": tr("SCSI host adapter"),
        "mpath": tr("Multipath devices"),
        "rbd": tr("Ceph RBD"),
        "gluster": tr("Gluster volume"),
        "zfs": tr("ZFS pool"),
    }
    return tr("{0} ({1})").format(texts.get(kind, kind), kind)


class AddPoolDialog(_CheckedDialog):
    def __init__(
        self,
        existing: list[str],
        parent: QWidget | None = None,
        kinds: tuple[str, ...] = ("dir",),
        local: bool = False,
        uri: str = "",
    ) -> None:
        super().__init__(tr("Add Storage Pool"), parent)
        self.setMinimumWidth(560)  # room for the virsh command below the form
        self.existing = existing
        self.local = local
        self.kind = QComboBox()
        for kind in (k for k in KINDS if k in kinds):
            self.kind.addItem(kind_text(kind), kind)
        self.name = QLineEdit(default_name(existing))
        self.target = QLineEdit()
        self.device = QLineEdit()
        self.host = QLineEdit()
        self.source_path = QLineEdit()
        self.source_name = QLineEdit()
        self.adapter = QLineEdit("host0")
        self._browsers: list[QFileDialog] = []
        self.labels: dict[str, QLabel] = {}
        self.rows: dict[str, QWidget] = {}
        self.edits: dict[str, QLineEdit] = {}
        self.form.addRow(tr("Type:"), self.kind)
        self.form.addRow(tr("Name:"), self.name)
        for field, edit, browse in (
            ("host", self.host, False),  # where the storage comes from first
            ("source_path", self.source_path, False),
            ("source_name", self.source_name, False),
            ("device", self.device, True),
            ("adapter", self.adapter, False),
            ("target", self.target, True),  # then where it appears on the host
        ):
            label = QLabel()
            label.setBuddy(edit)
            row = QWidget()
            layout = QHBoxLayout(row)
            layout.setContentsMargins(0, 0, 0, 0)
            layout.addWidget(edit, 1)
            if browse and local:
                button = QPushButton(tr("Browse…"))
                button.setAccessibleName(
                    tr("Browse for the folder")
                    if field == "target"
                    else tr("Browse for the device")
                )
                button.clicked.connect(lambda _c=False, f=field, e=edit: self._browse(f, e))
                layout.addWidget(button)
            self.form.addRow(label, row)
            self.labels[field], self.rows[field], self.edits[field] = label, row, edit
        self._target_edited = False
        self.target.textEdited.connect(self._mark_target_edited)
        self.name.textChanged.connect(self._follow_name)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()

        def check() -> None:
            check_spec(self.spec(), existing)

        self.check = check

        def command() -> Command | None:
            try:
                return virsh_commands.pool_create(uri, check_spec(self.spec(), existing))
            except InvalidStorageInput:
                return None

        if uri:
            self.command_view = command_row(
                self.form,
                command,
                self.kind.currentIndexChanged,
                *(edit.textChanged for edit in (self.name, *self.edits.values())),
                lines=6,  # define (wrapped), build, start, autostart
            )

    # -- what is shown -----------------------------------------------------------

    def current_kind(self) -> str:
        return str(self.kind.currentData() or "dir")

    def _kind_changed(self, *_args: object) -> None:
        kind = self.current_kind()
        needs = NEEDS.get(kind, ())
        words = {
            "target": tr("Folder:") if kind == "dir" else tr("Mount point:"),
            "device": tr("Target IQN:") if kind == "iscsi" else tr("Device:"),
            "host": tr("Host:"),
            "source_path": tr("Exported folder:"),
            "source_name": {
                "logical": tr("Volume group:"),
                "rbd": tr("Ceph pool:"),
                "gluster": tr("Volume:"),
                "zfs": tr("ZFS pool:"),
            }.get(kind, tr("Source:")),
            "adapter": tr("Adapter:"),
        }
        for field, label in self.labels.items():
            label.setText(words[field])
            # The label is not the field's sibling (a Browse button shares its row).
            self.edits[field].setAccessibleName(words[field].rstrip(":："))
            self.form.setRowVisible(self.rows[field], field in needs)
        self._follow_name()

    def _mark_target_edited(self, _text: str) -> None:
        self._target_edited = True

    def _follow_name(self, *_args: object) -> None:
        """A folder named after the pool, until the user changes the folder."""
        if self._target_edited:
            return
        folder = DEFAULT_DIR if self.current_kind() == "dir" else "/mnt"
        self.target.setText(posixpath.join(folder, self.name.text().strip() or "pool"))

    def _browse(self, field: str, edit: QLineEdit) -> None:
        folder = field == "target"
        start = edit.text() or ("/" if folder else "/dev")
        browser = QFileDialog(
            self, tr("Choose a Folder") if folder else tr("Choose a Device"), start
        )
        browser.setFileMode(
            QFileDialog.FileMode.Directory if folder else QFileDialog.FileMode.ExistingFile
        )
        browser.fileSelected.connect(edit.setText)
        if folder:
            browser.fileSelected.connect(self._mark_target_edited)
        browser.finished.connect(browser.deleteLater)
        self._browsers = [browser]
        browser.open()

    # -- the answer -----------------------------------------------------------------

    def spec(self) -> PoolSpec:
        return PoolSpec(
            kind=self.current_kind(),
            name=self.name.text(),
            target=self.target.text(),
            device=self.device.text(),
            host=self.host.text(),
            source_path=self.source_path.text(),
            source_name=self.source_name.text(),
            adapter=self.adapter.text(),
        )
