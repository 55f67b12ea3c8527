from engagement.names import fold_name


def test_case_accents_and_punctuation_do_not_matter() -> None:
    assert fold_name("Türkiye") == fold_name("turkiye")
    assert fold_name("BI.ZONE") == fold_name("bi zone")
    assert fold_name("  Council  of the Federation. ") == "council of the federation"


def test_cyrillic_is_kept_and_folded() -> None:
    assert fold_name("Российский Красный Крест") == "россиискии красныи крест"
    assert fold_name("Ёлка") == fold_name("елка")
