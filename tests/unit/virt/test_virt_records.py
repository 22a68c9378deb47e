"""Record helpers: libvirt states and packed version numbers."""

from __future__ import annotations

import libvirt
import pytest

from kvmdesk.virt.records import ACTIVE_STATES, DomainState, format_version, state_from_libvirt


@pytest.mark.parametrize(
    "state", [s for s in DomainState if s not in (DomainState.SAVED, DomainState.SAVED_TO_FILE)]
)
def test_state_passes_through_without_managed_save(state: DomainState) -> None:
    assert state_from_libvirt(int(state), False) is state


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (DomainState.SHUTOFF, DomainState.SAVED),
        (DomainState.NOSTATE, DomainState.SAVED),
        (DomainState.RUNNING, DomainState.RUNNING),
        (DomainState.PAUSED, DomainState.PAUSED),
    ],
)
def test_managed_save_only_matters_when_off(state: DomainState, expected: DomainState) -> None:
    assert state_from_libvirt(int(state), True) is expected


def test_shut_off_by_a_save_to_a_file() -> None:
    saved = libvirt.VIR_DOMAIN_SHUTOFF_SAVED
    off = int(DomainState.SHUTOFF)
    assert state_from_libvirt(off, False, saved) is DomainState.SAVED_TO_FILE
    assert state_from_libvirt(off, True, saved) is DomainState.SAVED  # a managed save
    destroyed = libvirt.VIR_DOMAIN_SHUTOFF_DESTROYED
    assert state_from_libvirt(off, False, destroyed) is DomainState.SHUTOFF


def test_unknown_state_number_is_nostate() -> None:
    assert state_from_libvirt(42, False) is DomainState.NOSTATE
    assert state_from_libvirt(-1, False) is DomainState.NOSTATE


def test_active_states() -> None:
    inactive = {
        DomainState.SHUTOFF,
        DomainState.SAVED,
        DomainState.SAVED_TO_FILE,
        DomainState.NOSTATE,
    }
    assert set(DomainState) - inactive == set(ACTIVE_STATES)
    assert all(s.is_active for s in ACTIVE_STATES)
    assert not any(s.is_active for s in inactive)


@pytest.mark.parametrize(
    ("number", "text"),
    [(9_000_000, "9.0.0"), (10_010_003, "10.10.3"), (2_001, "0.2.1"), (0, ""), (-1, "")],
)
def test_format_version(number: int, text: str) -> None:
    assert format_version(number) == text
