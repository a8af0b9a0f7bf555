from bot.core.words import counted, plural_of


def test_one_is_singular_and_every_other_count_plural():
    assert counted(1, "opening") == "1 opening"
    assert counted(0, "opening") == "0 openings"
    assert counted(2, "seat") == "2 seats"


def test_an_irregular_plural_is_given():
    assert counted(1, "person", "people") == "1 person"
    assert counted(3, "person", "people") == "3 people"
    assert plural_of(2, "person", "people") == "people"
