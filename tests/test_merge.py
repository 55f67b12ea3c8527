"""Merging duplicate stakeholders moves everything, and an unmerge puts everything back."""

from __future__ import annotations

import json
from typing import Any

import pytest

from engagement.errors import ConcurrentEdit, MergeRefused, StakeholderNotFound
from engagement.tracker import Tracker

BRANCH = "Russian Red Cross Kursk Regional Branch"


def _state(tracker: Tracker, *, ignore_version_of: set[str] = frozenset()) -> dict[str, Any]:  # type: ignore[assignment]
    """Everything stored, as the full dump has it; merge records left out, and the version and
    update time of stakeholders an undo legitimately moves on."""
    dump = json.loads(tracker.dump_json(confidentiality_max=None))
    dump.pop("merges")
    for stakeholder in dump["stakeholders"]:
        if stakeholder["name"] in ignore_version_of:
            stakeholder.pop("version")
            stakeholder.pop("updated_at")
    return dump


def _prepare_duplicate(sample: Tracker) -> tuple[int, int]:
    """A duplicate of the Russian Red Cross with its own history, one interaction shared with
    the original, a branch, tags and aliases."""
    duplicate = sample.add_stakeholder(
        "Rossiyskiy Krasny Krest", kind="national_society", country="RU",
        aliases=["RKK", "RRC"], tags=["duplicate", "red-cross-partner"], notes="typed twice",
    )  # fmt: skip
    sample.add_stakeholder("RKK Tula branch", kind="national_society", parent=f"#{duplicate.id}")
    shared = sample.log_interaction(
        "Joint meeting", with_=["Russian Red Cross", {"name": f"#{duplicate.id}", "role": "host"}],
        when="2025-08-20", follow_ups=[{"text": "Send minutes"}],
    )  # fmt: skip
    sample.log_interaction("Only with the duplicate", with_=[f"#{duplicate.id}"], when="2025-08-21")
    return duplicate.id, shared.id


def test_a_merge_moves_everything_and_unmerge_restores_it_exactly(sample: Tracker) -> None:
    drop_id, shared_id = _prepare_duplicate(sample)
    keep = sample.get_stakeholder("Russian Red Cross")
    before = _state(sample, ignore_version_of={"Russian Red Cross"})
    history_before = {i.id for i in sample.history("Russian Red Cross")}

    merged = sample.merge_stakeholders("Russian Red Cross", f"#{drop_id}")
    assert (merged.keep_id, merged.dropped_id, merged.interactions_moved) == (keep.id, drop_id, 2)
    assert merged.children_moved == 1 and set(merged.aliases_added) == {
        "Rossiyskiy Krasny Krest",
        "RKK",
    }
    after = sample.get_stakeholder("Russian Red Cross")
    assert after.version == keep.version + 1
    assert {"duplicate", "red-cross-partner"} <= set(after.tags)
    assert after.interaction_count == keep.interaction_count + 1  # the shared one counted once
    assert sample.resolve_stakeholder("Rossiyskiy Krasny Krest").id == keep.id
    assert sample.resolve_stakeholder("RKK").id == keep.id
    assert sample.get_stakeholder("RKK Tula branch").parent == "Russian Red Cross"
    with pytest.raises(StakeholderNotFound):
        sample.get_stakeholder(f"#{drop_id}")
    shared = sample.get_interaction(shared_id)
    assert shared.stakeholders == ["Russian Red Cross"]
    assert [f.text for f in shared.follow_ups] == ["Send minutes"]
    assert {i.id for i in sample.history("Russian Red Cross")} >= history_before | {shared_id}
    assert [h.interaction.id for h in sample.search("Rossiyskiy")] != []

    undone = sample.unmerge_stakeholder("Rossiyskiy Krasny Krest")
    assert undone.restored_id == drop_id and undone.undone_at is not None
    assert _state(sample, ignore_version_of={"Russian Red Cross"}) == before
    assert sample.get_stakeholder("Russian Red Cross").version == keep.version + 2
    assert sample.resolve_stakeholder("RKK").id == drop_id
    assert sample.get_interaction(shared_id).participants[1].role == "host"
    assert {h.interaction.title for h in sample.search("Rossiyskiy")} == {
        "Only with the duplicate",
        "Joint meeting",
    }
    with pytest.raises(MergeRefused, match="no merge"):
        sample.unmerge_stakeholder("Rossiyskiy Krasny Krest")
    with pytest.raises(MergeRefused, match="already undone"):
        sample.unmerge_stakeholder(merge_id=merged.id)


def test_people_merge_with_their_positions(sample: Tracker) -> None:
    original = sample.get_stakeholder("Tatiana Moskalkova")
    twin = sample.add_stakeholder("Moskalkova T. N.", kind="person", country="RU")
    office = sample.stakeholder_profile("Tatiana Moskalkova").positions[0]
    sample.add_affiliation(f"#{twin.id}", f"#{office.organisation_id}", title=office.title,
                           start=office.start)  # fmt: skip
    sample.add_affiliation(f"#{twin.id}", "Russian Red Cross", title="Board member")
    before = _state(sample, ignore_version_of={"Tatiana Moskalkova"})

    merged = sample.merge_stakeholders("Tatiana Moskalkova", "Moskalkova T. N.")
    assert merged.affiliations_moved == 2
    positions = sample.stakeholder_profile("Tatiana Moskalkova").positions
    assert sorted(p.title for p in positions) == sorted([office.title, "Board member"])
    assert sample.get_stakeholder("Tatiana Moskalkova").id == original.id

    sample.unmerge_stakeholder("Moskalkova T. N.")
    assert _state(sample, ignore_version_of={"Tatiana Moskalkova"}) == before


def test_merges_that_make_no_sense_are_refused(sample: Tracker) -> None:
    before = _state(sample)
    with pytest.raises(MergeRefused, match="into itself"):
        sample.merge_stakeholders("Russian Red Cross", "RRC")
    with pytest.raises(MergeRefused, match="a person and an organisation"):
        sample.merge_stakeholders("Russian Red Cross", "Pavel Savchuk")
    grandchild = sample.add_stakeholder(
        "Kursk district office", kind="national_society", parent=BRANCH
    )
    with pytest.raises(MergeRefused, match="its own parent"):
        sample.merge_stakeholders(f"#{grandchild.id}", "Russian Red Cross")
    with pytest.raises(ConcurrentEdit):
        sample.merge_stakeholders(BRANCH, f"#{grandchild.id}", keep_version=99)
    with pytest.raises(MergeRefused, match="no merge of 'Nobody'"):
        sample.unmerge_stakeholder("Nobody")
    assert _state(sample)["interactions"] == before["interactions"]


def test_a_branch_merged_into_its_parent_and_back(sample: Tracker) -> None:
    before = _state(sample, ignore_version_of={"Russian Red Cross"})
    sample.merge_stakeholders("Russian Red Cross", BRANCH)
    assert sample.resolve_stakeholder("RRC Kursk branch").name == "Russian Red Cross"
    sample.unmerge_stakeholder(BRANCH)
    assert _state(sample, ignore_version_of={"Russian Red Cross"}) == before


def test_a_parent_merged_into_its_branch_keeps_the_tree(sample: Tracker) -> None:
    parent = sample.get_stakeholder("Russian Red Cross")
    before = _state(sample, ignore_version_of={BRANCH})
    sample.merge_stakeholders(BRANCH, "Russian Red Cross")
    branch = sample.get_stakeholder(BRANCH)
    assert branch.parent is None
    assert {s.name for s in sample.list_stakeholders(parent=BRANCH)} >= {
        "Russian Red Cross Rostov Regional Branch"
    }
    sample.unmerge_stakeholder("Russian Red Cross")
    assert sample.get_stakeholder("Russian Red Cross").id == parent.id
    assert _state(sample, ignore_version_of={BRANCH}) == before


def test_chained_merges_undo_in_reverse_order(sample: Tracker) -> None:
    first = sample.add_stakeholder("Red Cross of Russia", kind="national_society", country="RU")
    second = sample.add_stakeholder("Russian Red Cross Society (RKK)", kind="national_society")
    sample.log_interaction("With the first", with_=[f"#{first.id}"], when="2025-08-01")
    before = _state(sample, ignore_version_of={"Russian Red Cross", second.name})
    sample.merge_stakeholders(f"#{second.id}", f"#{first.id}")
    sample.merge_stakeholders("Russian Red Cross", f"#{second.id}")
    assert "With the first" in {i.title for i in sample.history("Russian Red Cross")}
    sample.unmerge_stakeholder(second.name)
    sample.unmerge_stakeholder(first.name)
    assert _state(sample, ignore_version_of={"Russian Red Cross", second.name}) == before
    assert [m.undone_at is not None for m in sample.stakeholder_merges()] == [True, True]


def test_an_unmerge_is_refused_when_the_name_was_taken_again(sample: Tracker) -> None:
    sample.merge_stakeholders("Russian Red Cross", BRANCH)
    sample.add_stakeholder(BRANCH, kind="national_society")
    with pytest.raises(MergeRefused, match="now belongs to"):
        sample.unmerge_stakeholder(BRANCH)


def test_likely_duplicates_are_found_and_branches_are_not(sample: Tracker) -> None:
    assert sample.likely_duplicates() == []
    typo = sample.add_stakeholder("Tatiana Moskalkva", kind="person", country="RU")
    cyrillic = sample.add_stakeholder("Москалькова Татьяна", kind="person")
    sample.add_stakeholder("Tatiana Moskalkova Foundation", kind="ngo", country="BY")
    pairs = sample.likely_duplicates()
    original = sample.get_stakeholder("Tatiana Moskalkova").id
    found = {(p.keep_id, p.drop_id) for p in pairs}
    assert (original, typo.id) in found and (original, cyrillic.id) in found
    assert all(p.score >= 85 for p in pairs)
    assert pairs == sorted(pairs, key=lambda p: -p.score)
    assert len(sample.likely_duplicates(limit=1)) == 1
