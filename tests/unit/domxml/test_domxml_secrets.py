"""Masking the secrets of a definition on its text, and putting them back exactly."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kvmdesk.domxml import secrets
from kvmdesk.domxml.secrets import MASK, MASK_CHANGED, HiddenSecretLost

XML = """<domain type='kvm'>
  <name>a</name>
  <!-- <graphics type='vnc' passwd='in a comment'/> -->
  <devices>
    <graphics type='vnc' port='-1' passwd='s&amp;e&apos;c&lt;&quot;'/>
    <graphics type="spice" autoport="yes" passwd="x">
      <listen type='address'/>
    </graphics>
  </devices>
</domain>"""


def test_mask_hides_every_secret_and_unmask_restores_the_text_exactly() -> None:
    masked, hidden = secrets.mask(XML)
    assert "s&amp;e" not in masked and 'passwd="x"' not in masked
    assert masked.count(MASK) == 2
    assert "in a comment" in masked  # a comment is not an element
    assert sorted(hidden.values()) == ["s&e'c<\"", "x"]
    assert secrets.unmask(masked, hidden) == XML


def test_edits_around_a_mask_keep_the_secret() -> None:
    masked, hidden = secrets.mask(XML)
    edited = masked.replace("<name>a</name>", "<name>a</name>\n  <description>d</description>")
    back = secrets.unmask(edited, hidden)
    assert "passwd='s&amp;e&apos;c&lt;&quot;'" in back and 'passwd="x"' in back


def test_a_mask_where_no_secret_was_is_refused() -> None:
    masked, hidden = secrets.mask(XML)
    moved = masked.replace("<devices>", f"<devices>\n    <graphics type='rdp' passwd='{MASK}'/>")
    with pytest.raises(HiddenSecretLost) as caught:
        secrets.unmask(moved, hidden)
    assert caught.value.path == "/domain/devices/graphics/@passwd"


def test_without_and_carry() -> None:
    bare = secrets.without_secrets(XML)
    assert "passwd" not in bare.replace("passwd='in a comment'", "")
    assert "<graphics type='vnc' port='-1'/>" in bare
    assert secrets.carry(bare, secrets.find_secrets(XML)).count("passwd=") == 3  # 2 + comment


def test_may_hold_secrets_looks_for_displays() -> None:
    assert secrets.may_hold_secrets(secrets.without_secrets(XML))
    assert not secrets.may_hold_secrets("<domain><devices><disk type='file'/></devices></domain>")


def test_mask_pair_says_which_secret_changed() -> None:
    other = XML.replace('passwd="x"', 'passwd="y"')
    left, right = secrets.mask_pair(XML, other)
    assert "x" not in left.split("spice")[1].split(">")[0]
    assert MASK_CHANGED in right and right.count(MASK_CHANGED) == 1


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1))
def test_any_password_survives_mask_and_unmask(password: str) -> None:
    escaped = (
        password.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("'", "&apos;")
        .replace('"', "&quot;")
    )
    xml = f"<domain><devices><graphics type='vnc' passwd='{escaped}'/></devices></domain>"
    masked, hidden = secrets.mask(xml)
    if password == MASK:
        return
    assert list(hidden.values()) == [password]
    assert secrets.unmask(masked, hidden) == xml
