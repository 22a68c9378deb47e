from typing import Any
from kvmdesk.ui.domain.details import DetailsPane

OFF = "2d2d2d2d-0000-4000-8000-000000000001"
RUN = "2d2d2d2d-0000-4000-8000-000000000002"


def test_shots(qtbot: Any, aio_loop: Any, open_connection: Any, wait_until: Any) -> None:
    pane = DetailsPane()
    qtbot.addWidget(pane)
    pane.resize(1000, 650)
    pane.show()
    conn = open_connection("hardware.xml")
    pane.show_domain(conn, OFF)
    pane.show_tab("hardware")
    page = pane.hardware_tab
    wait_until(lambda: page.items.count() > 5, what="items")
    for row in range(page.items.count()):
        page.items.setCurrentRow(row)
        wait_until(lambda: True)
        pane.grab().save(f"/tmp/hw-off-{row:02d}.png")
    pane.show_domain(conn, RUN)
    wait_until(
        lambda: page.items.count() > 3 and page.state is not None and page.state.live is not None,
        what="run",
    )
    page.items.setCurrentRow(1)
    page.forms[1].current.setValue(2)
    pane.grab().save("/tmp/hw-run-cpu.png")
    page.items.setCurrentRow(4)
    pane.grab().save("/tmp/hw-run-cd.png")
