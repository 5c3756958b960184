"""Tests for members.permissions: pure predicates, no database.

The tree is built from stand-in objects carrying only what the predicates read
(pk, kind, path, parent_id):

    province 1 ─┬─ ward 2 ─┬─ cell 3 ── group 4
                │          └─ cell2 5
                └─ bloc 6 ── cell 7 (other_cell)
    root 11 ── cell 12 (lookalike: its path "00000011/" starts with "0000001")
"""

from types import SimpleNamespace

import pytest

from members.permissions import (
    Scope,
    can_edit_org,
    can_manage_cell,
    can_manage_member,
    can_manage_tree,
    can_read_member,
    can_read_org,
    covers,
)


def node(pk, kind, parent=None):
    path = f"{parent.path if parent else ''}{pk:08d}/"
    return SimpleNamespace(
        pk=pk, kind=kind, path=path, parent_id=parent.pk if parent else None
    )


PROVINCE = node(1, "province_committee")
WARD = node(2, "commune_committee", PROVINCE)
CELL = node(3, "cell", WARD)
GROUP = node(4, "party_group", CELL)
CELL2 = node(5, "cell", WARD)
BLOC = node(6, "bloc_committee", PROVINCE)
OTHER_CELL = node(7, "cell", BLOC)
LOOKALIKE_ROOT = node(11, "province_committee")
LOOKALIKE_CELL = node(12, "cell", LOOKALIKE_ROOT)

ORGS = {
    "province": PROVINCE,
    "ward": WARD,
    "cell": CELL,
    "group": GROUP,
    "cell2": CELL2,
    "bloc": BLOC,
    "other_cell": OTHER_CELL,
    "lookalike_root": LOOKALIKE_ROOT,
    "lookalike_cell": LOOKALIKE_CELL,
}

SCOPES = {
    "admin": Scope(is_admin=True),
    "committee": Scope(
        member_id=102,
        member_cell_ids=frozenset({5}),
        committee_paths=(WARD.path,),
    ),
    "province_committee": Scope(member_id=103, committee_paths=(PROVINCE.path,)),
    "secretary": Scope(
        member_id=100, member_cell_ids=frozenset({3}), officer_cell_ids=frozenset({3})
    ),
    "member": Scope(member_id=101, member_cell_ids=frozenset({3})),
    "supervisor": Scope(
        member_id=104,
        member_cell_ids=frozenset({5}),
        supervised_cell_ids=frozenset({3}),
    ),
    "outsider": Scope(member_id=105, member_cell_ids=frozenset({7})),
    "nobody": Scope(),
}

ALL = frozenset(ORGS)
WARD_SUBTREE = frozenset({"ward", "cell", "group", "cell2"})
PROVINCE_SUBTREE = WARD_SUBTREE | {"province", "bloc", "other_cell"}

# For each predicate and persona, the nodes where it answers True.
EXPECTED = {
    can_read_org: {
        "admin": ALL,
        "committee": WARD_SUBTREE,
        "province_committee": PROVINCE_SUBTREE,
        "secretary": {"cell", "group"},
        "member": {"cell", "group"},
        "supervisor": {"cell", "group", "cell2"},
        "outsider": {"other_cell"},
        "nobody": set(),
    },
    can_manage_cell: {
        "admin": ALL,
        "committee": WARD_SUBTREE,
        "province_committee": PROVINCE_SUBTREE,
        "secretary": {"cell", "group"},
        "member": set(),
        "supervisor": set(),
        "outsider": set(),
        "nobody": set(),
    },
    can_manage_tree: {
        "admin": ALL,
        "committee": WARD_SUBTREE,
        "province_committee": PROVINCE_SUBTREE,
        "secretary": set(),
        "member": set(),
        "supervisor": set(),
        "outsider": set(),
        "nobody": set(),
    },
    can_edit_org: {
        "admin": ALL,
        "committee": WARD_SUBTREE,
        "province_committee": PROVINCE_SUBTREE,
        "secretary": {"cell", "group"},
        "member": set(),
        "supervisor": set(),
        "outsider": set(),
        "nobody": set(),
    },
}

CASES = [
    pytest.param(predicate, persona, org, id=f"{predicate.__name__}-{persona}-{org}")
    for predicate in EXPECTED
    for persona in SCOPES
    for org in ORGS
]


@pytest.mark.parametrize(("predicate", "persona", "org"), CASES)
def test_predicates_by_persona_and_node(predicate, persona, org):
    expected = org in EXPECTED[predicate][persona]

    assert predicate(SCOPES[persona], ORGS[org]) is expected


@pytest.mark.parametrize(
    ("persona", "org"),
    [(persona, org) for persona in SCOPES for org in ORGS],
)
def test_can_manage_member_is_can_manage_cell(persona, org):
    scope, member_org = SCOPES[persona], ORGS[org]

    assert can_manage_member(scope, member_org) is can_manage_cell(scope, member_org)


# covers: path prefixes --------------------------------------------------------------


@pytest.mark.parametrize(
    ("paths", "org_path", "expected"),
    [
        (("00000001/",), "00000001/", True),  # the node itself
        (("00000001/",), "00000001/00000002/", True),
        (("00000001/",), "00000011/", False),  # lookalike sibling
        (("00000001/",), "00000011/00000012/", False),
        (("00000001/",), "00000010/", False),
        (("00000001/00000002/",), "00000001/", False),  # an ancestor is not covered
        (("00000001/00000002/",), "00000001/00000020/", False),
        (("00000001/00000002/",), "00000001/00000002/00000003/", True),
        (("00000011/", "00000001/00000002/"), "00000011/00000012/", True),
        ((), "00000001/", False),
    ],
)
def test_covers_whole_path_steps_only(paths, org_path, expected):
    assert covers(paths, org_path) is expected


def test_committee_of_root_1_does_not_reach_root_11():
    scope = Scope(member_id=1, committee_paths=("00000001/",))

    assert can_read_org(scope, LOOKALIKE_ROOT) is False
    assert can_manage_cell(scope, LOOKALIKE_CELL) is False
    assert can_manage_tree(scope, LOOKALIKE_ROOT) is False
    assert can_edit_org(scope, LOOKALIKE_CELL) is False


def test_cell_membership_does_not_leak_to_a_node_with_a_lookalike_pk():
    # cell 3 is read; a committee with pk 3 cannot exist, but a party group whose
    # parent is 33 must not be mistaken for a group of cell 3.
    group_of_33 = SimpleNamespace(
        pk=40, kind="party_group", path="00000033/00000040/", parent_id=33
    )

    assert can_read_org(SCOPES["member"], group_of_33) is False
    assert can_manage_cell(SCOPES["secretary"], group_of_33) is False


# can_read_member --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "member_pk", "org", "expected"),
    [
        ("member", 101, "other_cell", True),  # one's own record, wherever it is
        ("member", 999, "cell", True),  # a member of one's cell
        ("member", 999, "cell2", False),
        ("supervisor", 999, "cell", True),  # supervised cell
        ("supervisor", 999, "other_cell", False),
        ("committee", 999, "cell", True),
        ("committee", 999, "other_cell", False),
        ("outsider", 999, "cell", False),
        ("outsider", 105, "other_cell", True),
        ("admin", 999, "lookalike_cell", True),
        ("nobody", 999, "cell", False),
    ],
)
def test_can_read_member(persona, member_pk, org, expected):
    member = SimpleNamespace(pk=member_pk)

    assert can_read_member(SCOPES[persona], member, ORGS[org]) is expected


# Scope ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("admin", True),
        ("committee", True),
        ("province_committee", True),
        ("secretary", True),
        ("member", True),
        ("supervisor", True),
        ("outsider", True),
        ("nobody", False),
    ],
)
def test_scope_is_anyone(persona, expected):
    assert SCOPES[persona].is_anyone is expected


def test_scope_is_anyone_with_only_a_member_id_is_false():
    assert Scope(member_id=7).is_anyone is False


def test_scope_read_cell_ids_unites_member_officer_and_supervised_cells():
    scope = Scope(
        member_cell_ids=frozenset({1}),
        officer_cell_ids=frozenset({2}),
        supervised_cell_ids=frozenset({3, 1}),
    )

    assert scope.read_cell_ids == frozenset({1, 2, 3})
