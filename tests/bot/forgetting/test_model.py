"""The tombstone's id and hash, and the words of what forgetting removes."""

from __future__ import annotations

from bot.forgetting.model import (
    TOMBSTONE_LENGTH,
    PersonalData,
    is_tombstone,
    removal_lines,
    tombstone_hash,
    tombstone_id,
)


def test_a_tombstone_is_the_same_for_one_person_and_differs_by_person_workspace_and_salt():
    gone = tombstone_id("T1", "U1", "salt")
    assert gone == tombstone_id("T1", "U1", "salt")
    assert len(gone) == TOMBSTONE_LENGTH and is_tombstone(gone) and not is_tombstone("U1")
    others = {
        tombstone_id("T1", "U2", "salt"),
        tombstone_id("T2", "U1", "salt"),
        tombstone_id("T1", "U1", "pepper"),
    }
    assert gone not in others and len(others) == 3
    assert "U1" not in tombstone_hash("T1", "U1", "salt")
    assert len(tombstone_hash("T1", "U1", "salt")) == 64  # the whole SHA-256, in hex


def test_only_visits_left_is_nothing_to_forget():
    assert PersonalData().nothing
    assert PersonalData(visits=2).nothing  # already anonymous
    assert not PersonalData(scheduled_messages=1).nothing
    assert not PersonalData(profile=1).nothing


def test_what_goes_is_listed_in_words_with_plurals():
    data = PersonalData(
        profile=1, applications=1, proposals=2, checkin_answers=1, retros=2, scheduled_messages=1
    )
    assert removal_lines(data) == [
        "your profile",
        "1 application",
        "2 matching proposals",
        "1 check-in answer",
        "the text of 2 retros",
        "1 scheduled message not sent yet (cancelled)",
    ]
    assert removal_lines(PersonalData(profile=1), whose="their") == ["their profile"]
