"""Key presses for a guest: the US layout, refused characters, strokes and
the libvirt limit, named combinations, keyboard state; sent through the
test driver."""

from __future__ import annotations

import libvirt
import pytest

from kvmdesk.virt import keys


def test_letters_digits_and_shifted_punctuation() -> None:
    assert keys.text_strokes("a") == [(30,)]
    assert keys.text_strokes("A") == [(keys.KEY_LEFTSHIFT, 30)]
    assert keys.text_strokes("1!") == [(2,), (keys.KEY_LEFTSHIFT, 2)]
    assert keys.text_strokes("0") == [(11,)]
    assert keys.text_strokes("$(+)") == [
        (keys.KEY_LEFTSHIFT, 5),
        (keys.KEY_LEFTSHIFT, 10),
        (keys.KEY_LEFTSHIFT, 13),
        (keys.KEY_LEFTSHIFT, 11),
    ]
    assert keys.text_strokes(" \t\n") == [(keys.KEY_SPACE,), (keys.KEY_TAB,), (keys.KEY_ENTER,)]
    assert keys.text_strokes("z/?") == [(44,), (53,), (keys.KEY_LEFTSHIFT, 53)]


def test_every_printable_ascii_character_can_be_typed_with_one_key() -> None:
    for code in range(0x20, 0x7F):
        strokes = keys.text_strokes(chr(code))
        assert len(strokes) == 1
        *mods, key = strokes[0]
        assert mods in ([], [keys.KEY_LEFTSHIFT])
        assert key not in keys.MODIFIERS


def test_line_ends_become_one_enter_each() -> None:
    assert keys.text_strokes("a\r\nb\rc") == [(30,), (28,), (48,), (28,), (46,)]


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("héllo", "“é”"),
        ("price: 5 €", "“€”"),
        ("bell\x07", "U+0007"),
        ("esc\x1b[0m", "U+001B"),
        ("nul\x00", "U+0000"),
        ("测试", "“测”, “试”"),
    ],
)
def test_untypable_characters_are_refused_by_name(text: str, named: str) -> None:
    with pytest.raises(keys.UntypableTextError) as info:
        keys.text_strokes(text)
    assert named in str(info.value)
    assert str(info.value).startswith("These characters cannot be typed")


def test_each_refused_character_is_named_once() -> None:
    with pytest.raises(keys.UntypableTextError) as info:
        keys.text_strokes("ééé€é")
    assert info.value.characters == ("é", "€")


def test_too_long_text_is_refused() -> None:
    keys.text_strokes("a" * keys.MAX_TEXT)
    with pytest.raises(ValueError, match="too long"):
        keys.text_strokes("a" * (keys.MAX_TEXT + 1))


def test_a_stroke_holds_at_most_sixteen_keys() -> None:
    assert keys.check_stroke(range(1, 17)) == tuple(range(1, 17))
    with pytest.raises(ValueError, match="At most 16"):
        keys.check_stroke(range(1, 18))
    with pytest.raises(ValueError):
        keys.check_stroke([])
    with pytest.raises(ValueError):
        keys.check_stroke([0])
    with pytest.raises(ValueError):
        keys.check_stroke([-3])


def test_named_combinations() -> None:
    assert keys.CTRL_ALT_DEL.codes == (29, 56, 111)
    assert keys.CTRL_ALT_BACKSPACE.codes == (29, 56, 14)
    assert keys.PRINT_SCREEN.codes == (99,)
    assert [c.name for c in keys.CTRL_ALT_F] == [f"Ctrl+Alt+F{n}" for n in range(1, 13)]
    f_codes = [c.codes[-1] for c in keys.CTRL_ALT_F]
    assert f_codes == [59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 87, 88]
    with pytest.raises(ValueError):
        keys.function_key(13)


def test_keyboard_state_adds_held_modifiers_to_each_press() -> None:
    state = keys.KeyboardState()
    assert state.feed(keys.KEY_LEFTCTRL, True) is None
    assert state.feed(keys.KEY_LEFTALT, True) is None
    assert state.feed(keys.function_key(2), True) == (29, 56, 60)
    assert state.feed(keys.function_key(2), False) is None
    assert state.feed(keys.KEY_LEFTALT, False) is None
    assert state.feed(46, True) == (29, 46)  # Ctrl+C
    assert state.feed(keys.KEY_LEFTCTRL, False) is None
    assert state.feed(46, True) == (46,)
    # a modifier pressed and released alone sends nothing
    assert state.feed(keys.KEY_LEFTSHIFT, True) is None
    assert state.feed(keys.KEY_LEFTSHIFT, False) is None
    assert state.held == []


def test_sending_to_the_test_driver(tmp_path: object) -> None:
    conn = libvirt.open("test:///default")
    try:
        dom = conn.lookupByName("test")
        if not dom.isActive():
            dom.create()
        uuid = dom.UUIDString()
        text = "echo kvmdesk$((40+2))\n"
        assert keys.type_text(conn, uuid, text) == len(text)
        assert keys.send_strokes(conn, uuid, [keys.CTRL_ALT_DEL.codes]) == 1
        # checked before anything is sent: a bad stroke at the end refuses all
        with pytest.raises(ValueError):
            keys.send_strokes(conn, uuid, [(30,), tuple(range(1, 18))])
        with pytest.raises(keys.UntypableTextError):
            keys.type_text(conn, uuid, "ok é")
        dom.destroy()
        with pytest.raises(libvirt.libvirtError) as info:
            keys.send_strokes(conn, uuid, [keys.PRINT_SCREEN.codes])
        assert "not running" in str(info.value)
        dom.create()
    finally:
        conn.close()
