"""The permission rules (domain/permissions.py) for any viewer, against the spec's table of roles.

Any mix of roles, led groups and owners acted for is drawn; each rule's answer is compared with the
spec's words (docs/domain.md, "Who uses it"), written out again here from the table, not the code.
tests/store/test_permission_matrix.py checks the same rules through every store service.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from domain.permissions import OPERATOR, Viewer, operator_viewer
from domain.words import CHIEF_OFFICER, GOVERNANCE, OWNER, SPOC

GROUPS = ("Met Operations", "Corporate Services", "Professionalism")
ME = 7


@st.composite
def viewers(draw: st.DrawFn) -> Viewer:
    roles = draw(st.frozensets(st.sampled_from((OWNER, SPOC, CHIEF_OFFICER, GOVERNANCE))))
    leading = [r for r in (SPOC, CHIEF_OFFICER) if r in roles]
    leads = draw(st.lists(st.tuples(st.sampled_from(leading), st.sampled_from(GROUPS)), unique=True)) if leading else []
    acts_for = draw(st.lists(st.integers(1, 20).filter(lambda i: i != ME), unique=True, max_size=3))
    return Viewer(ME, "Pat Doe", "pat@example.test", roles, None, tuple(leads), tuple(acts_for))


@given(viewers(), st.sampled_from(GROUPS), st.integers(1, 20))
def test_each_rule_answers_as_the_spec_says(viewer: Viewer, group: str, owner: int) -> None:
    governance = GOVERNANCE in viewer.roles
    spoc_here = (SPOC, group) in viewer.leads
    leads_here = any(g == group for _r, g in viewer.leads)
    assert viewer.may_see_group(group) == (governance or leads_here)
    assert viewer.may_reassign(group) == (governance or spoc_here)
    assert viewer.may_reassign_any == any(viewer.may_reassign(g) for g in GROUPS)
    assert viewer.may_name_cover(owner, group) == (owner == ME or governance or spoc_here)
    assert viewer.may_act_for_owner(owner, group) == (
        governance or owner == ME or owner in viewer.acts_for or spoc_here
    )
    assert viewer.may_decide == viewer.may_run_cycles == viewer.may_import == governance
    assert viewer.may_follow_cycles == (governance or bool(viewer.leads))
    assert viewer.person == ME and not viewer.is_operator


@given(st.sampled_from(GROUPS), st.integers(1, 20))
def test_the_operator_holds_governance_powers_and_is_no_person(group: str, owner: int) -> None:
    operator = operator_viewer("ops@force.example")
    assert operator.is_operator and OPERATOR in operator.roles and not operator.is_governance
    assert operator.person is None and operator.email == "ops@force.example"  # recorded as who acted
    assert operator.may_decide and operator.may_run_cycles and operator.may_import and operator.may_follow_cycles
    assert operator.may_reassign(group) and operator.may_reassign_any and operator.may_name_cover(owner, group)
    assert operator.may_act_for_owner(owner, group) and operator.may_see_group(group)


def test_a_spoc_of_one_group_who_is_chief_officer_of_another_is_a_spoc_in_the_first_only() -> None:
    mo = Viewer(
        ME,
        "Mo Reid",
        "mo@example.test",
        frozenset({SPOC, CHIEF_OFFICER}),
        None,
        ((SPOC, GROUPS[0]), (CHIEF_OFFICER, GROUPS[1])),
    )
    assert mo.may_reassign(GROUPS[0]) and not mo.may_reassign(GROUPS[1])
    assert mo.may_see_group(GROUPS[1]) and not mo.may_act_for_owner(1, GROUPS[1])
    assert not (mo.may_decide or mo.may_run_cycles or mo.may_import)
