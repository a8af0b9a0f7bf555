import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from bot.core.user_text import BIDI_CONTROLS, ZERO_WIDTH, clean_user_text, match_key

SPOOFERS = sorted(BIDI_CONTROLS | ZERO_WIDTH)


def test_bidi_and_zero_width_characters_are_removed():
    typed = "\u202eevil\u202c \u2066x\u2069 Se\u200barch\u200d\ufeff \u200f\u061c\u2060ok"
    assert clean_user_text(typed) == "evil x Search ok"


def test_every_listed_control_is_removed():
    for character in SPOOFERS:
        assert clean_user_text(f"a{character}b") == "ab", hex(ord(character))


def test_newline_and_tab_stay_other_controls_go():
    assert clean_user_text("one\ntwo\tthree\r\n\x00\x07\x1b[31m\x7f\x85end") == (
        "one\ntwo\tthree\n[31mend"
    )


def test_text_is_stored_composed():
    assert clean_user_text("Cafe\u0301") == "Café"


def test_emoji_and_other_scripts_are_kept():
    typed = "Über 東京 🧑‍💻 مرحبا"  # the emoji's zero-width joiner goes, the rest stays
    assert clean_user_text(typed) == "Über 東京 🧑💻 مرحبا"


def test_match_keys_fold_every_script_spacing_and_composition():
    assert match_key("Über  streaming ") == match_key("über streaming")
    assert match_key("Cafe\u0301") == match_key("CAFÉ")
    assert match_key("Stra\u00dfe") == match_key("STRASSE")
    assert match_key("Se\u200barch") == match_key("search")
    assert match_key("Search") != match_key("Searches")


@given(st.text())
def test_cleaning_is_idempotent_and_leaves_nothing_that_spoofs(text: str):
    cleaned = clean_user_text(text)
    assert clean_user_text(cleaned) == cleaned
    assert unicodedata.is_normalized("NFC", cleaned)
    assert not any(character in BIDI_CONTROLS or character in ZERO_WIDTH for character in cleaned)
    assert all(
        unicodedata.category(character) != "Cc" or character in "\n\t" for character in cleaned
    )


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cf", "Cs"))))
def test_cleaning_keeps_ordinary_text_as_typed_up_to_composition(text: str):
    assert clean_user_text(text) == unicodedata.normalize("NFC", text)


@given(st.text())
def test_match_keys_ignore_case_and_are_stable(text: str):
    key = match_key(text)
    assert match_key(key) == key
    assert match_key(text.casefold()) == key
