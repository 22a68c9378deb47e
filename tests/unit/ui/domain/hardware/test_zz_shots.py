from typing import Any
from kvmdesk.ui.domain.details import DetailsPane
from kvmdesk.ui.domain.hardware.add_dialog import AddHardwareDialog
OFF = "2d2d2d2d-0000-4000-8000-000000000001"
RUN = "2d2d2d2d-0000-4000-8000-000000000002"

def test_shots(qtbot: Any, aio_loop: Any, open_connection: Any, wait_until: Any) -> None:
    pane = DetailsPane(); qtbot.addWidget(pane); pane.resize(1000, 650); pane.show()
    conn = open_connection("hardware.xml")
    pane.show_domain(conn, OFF)
    pane.show_tab("hardware")
    page = pane.hardware_tab
    wait_until(lambda: page.items.count() > 5, what="items")
    for row in (2, 7, 8, 9, 10):
        page.items.setCurrentRow(row)
        pane.grab().save(f"/tmp/hw-off-{row:02d}.png")
    page.add_button.click()
    wait_until(lambda: isinstance(page.dialog, AddHardwareDialog))
    page.dialog.kind.setCurrentIndex(1)
    wait_until(lambda: page.dialog.pool.count() > 0)
    page.dialog.grab().save("/tmp/hw-add.png")
    page.dialog.reject()
    pane.show_domain(conn, RUN)
    wait_until(lambda: page.state is not None and page.state.live is not None and page.items.count() > 3, what="run")
    page.items.setCurrentRow(5)
    page.forms[5].link.setChecked(False)
    page.apply_button.click()
    wait_until(lambda: "pending" in page.message.text())
    pane.grab().save("/tmp/hw-run-nic.png")
