from domain.phrases import count_of, first_upper, plural


def test_first_upper_keeps_the_capitals_of_names() -> None:
    assert first_upper("open HMICFRS recommendations and AFIs") == "Open HMICFRS recommendations and AFIs"
    assert first_upper("in Met Operations") == "In Met Operations"
    assert first_upper("") == ""


def test_plural_and_counts() -> None:
    assert plural(1, "proposal") == "proposal"
    assert plural(2, "proposal") == "proposals"
    assert plural(0, "was", "were") == "were"
    assert count_of(1, "action") == "1 action"
    assert count_of(3, "action") == "3 actions"
    assert count_of(0, "new DARA action", zero="No") == "No new DARA actions"
    assert count_of(0, "action") == "0 actions"
