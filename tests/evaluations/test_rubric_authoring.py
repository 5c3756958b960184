"""A committee authors its own rubric version (DOMAIN.md §6): copied from the version
in force, points and ◆ scales edited, checked, chosen for its subtree from the day it
takes effect; versions that scored meetings never change."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluations import selectors, services
from evaluations.forms import RubricVersionForm
from evaluations.models import QualityScore, Rubric, RubricChoice
from evaluations.rubrics import DEFAULT_CODE
from tests.factories.meetings import held
from tests.factories.times import at
from tests.support.pages import english, evaluation_url

pytestmark = pytest.mark.django_db


def form_data(rubric, **changes):
    """The form's POST data as the page sends it untouched, with `changes`."""
    form = RubricVersionForm(rubric=rubric)
    data = {
        name: "" if field.initial is None else str(field.initial)
        for name, field in form.fields.items()
    }
    data.update(name="Thang điểm phường Thử 2027", valid_from="01/12/2026")
    data.update({key.replace("__", "-"): str(value) for key, value in changes.items()})
    return data


@pytest.fixture
def base(db):
    from evaluations.rubrics import ensure_default_rubrics

    ensure_default_rubrics()
    return Rubric.objects.get(code=DEFAULT_CODE, version=1)


def test_authoring_pages_refuse_outside_reach_and_without_the_role(
    tree, base, secretary_client, member_client, committee_client
):
    # the ward is outside the secretary's reach; the cell is inside it, but only a
    # committee above chooses what judges the cell
    assert (
        secretary_client.get(evaluation_url("rubric-new", tree.ward.pk)).status_code
        == 404
    )
    assert (
        secretary_client.get(evaluation_url("rubric-new", tree.cell.pk)).status_code
        == 403
    )
    assert (
        member_client.get(evaluation_url("rubric-new", tree.cell.pk)).status_code == 403
    )
    assert (
        secretary_client.post(
            evaluation_url("rubric-new", tree.cell.pk), form_data(base)
        )
    ).status_code == 403
    assert (
        committee_client.get(
            evaluation_url("rubric-new", tree.other_cell.pk)
        ).status_code
        == 404
    )
    assert (
        committee_client.get(evaluation_url("rubric-new", tree.ward.pk)).status_code
        == 200
    )
    assert Rubric.objects.filter(code__startswith="org-").count() == 0


def test_authored_version_is_chosen_for_the_subtree(tree, base, committee_client):
    english(committee_client)
    org_page = committee_client.get(tree.ward.get_absolute_url()).content.decode()
    assert evaluation_url("rubric-settings", tree.ward.pk) in org_page
    settings_page = committee_client.get(
        evaluation_url("rubric-settings", tree.ward.pk)
    )
    assert evaluation_url("rubric-new", tree.ward.pk) in settings_page.content.decode()
    page = committee_client.get(
        evaluation_url("rubric-new", tree.ward.pk)
    ).content.decode()
    assert "Copied from the version in force today" in page
    assert 'name="item-duration-short0-minutes"' in page

    response = committee_client.post(
        evaluation_url("rubric-new", tree.ward.pk),
        form_data(
            base,
            item__duration__short0__minutes=5,
            item__attendance_rate__band0__share="95",
        ),
    )

    assert response.status_code == 302
    rubric = Rubric.objects.get(code=f"org-{tree.ward.pk}")
    assert (rubric.version, rubric.valid_from, rubric.name) == (
        1,
        date(2026, 12, 1),
        "Thang điểm phường Thử 2027",
    )
    duration = rubric.groups[0]["items"][0]
    assert duration["scale"]["short"] == [[5, 4], [30, 3]]
    attendance = rubric.groups[1]["items"][0]
    assert attendance["scale"]["bands"][0] == ["ge", "19/20", 4]
    assert [g["max"] for g in rubric.groups] == [g["max"] for g in base.groups]
    choice = RubricChoice.objects.get(organization=tree.ward)
    assert (choice.rubric_code, choice.valid_from) == (rubric.code, date(2026, 12, 1))
    assert Rubric.objects.get(pk=base.pk).groups == base.groups  # the copy's source
    listed = committee_client.get(evaluation_url("rubric-settings", tree.ward.pk))
    assert (
        evaluation_url("rubric-edit", tree.ward.pk, rubric.pk)
        in listed.content.decode()
    )


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"item__content__max": "4"},
            None,
            "must add up to 100 (the thematic item included); they add up to 101.",
        ),
        (
            {"item__speaking_share__band1__share": "60"},
            "item-speaking_share-max",
            "The bands must go from the highest share",
        ),
        (
            {"item__duration__short1__points": "5"},
            "item-duration-max",
            "The bands must go from the highest share",
        ),
        (
            {"item__task_results__band0__points": "31"},
            "item-task_results-max",
            "A band gives more points than the item&#x27;s maximum.",
        ),
        (
            {"item__praise__max": "-1"},
            "item-praise-max",
            "Ensure this value is greater than or equal to 0.",
        ),
    ],
)
def test_invalid_versions_are_refused_and_nothing_typed_is_lost(
    tree, base, committee_client, changes, field, message
):
    english(committee_client)
    data = form_data(base, **changes)

    response = committee_client.post(evaluation_url("rubric-new", tree.ward.pk), data)

    page = response.content.decode()
    assert response.status_code == 422
    assert message in page
    if field:
        assert f'class="form-control is-invalid" name="{field}"' in page
    for name, value in changes.items():
        typed = name.replace("__", "-")
        assert f'name="{typed}" id="id_{typed}" min="0" step' in page
        assert f'value="{value}"' in page
    assert 'value="Thang điểm phường Thử 2027"' in page
    assert not Rubric.objects.filter(code__startswith="org-").exists()
    assert not RubricChoice.objects.exists()


def test_meetings_are_scored_by_the_version_of_their_day(tree, base, committee_client):
    """Short by 10 minutes: 4 points on the national scale (at most 15 short), 3 on
    the ward's version from 01/12 (at most 5 short for 4 points). November's
    meeting, scored before and again after the version was authored, keeps the
    version it was scored with; December's is scored with the new one."""
    people = {"chair": tree.secretary, "taker": tree.member}
    november, _ = held(tree.cell, starts_at=at(2026, 11, 3), minutes_long=80, **people)
    before = services.score_meeting(meeting=november, role="self", manual={})
    assert (before.rubric_id, before.points["duration"]) == (base.pk, "4")

    committee_client.post(
        evaluation_url("rubric-new", tree.ward.pk),
        form_data(base, item__duration__short0__minutes=5),
    )
    authored = Rubric.objects.get(code=f"org-{tree.ward.pk}")

    again = services.score_meeting(meeting=november, role="self", manual={})
    assert (again.rubric_id, again.points["duration"]) == (base.pk, "4")
    unscored, _ = held(
        tree.cell,
        starts_at=at(2026, 11, 20),
        minutes_long=80,
        kind="extraordinary",
        **people,
    )
    assert selectors.rubric_for_meeting(unscored) == base  # before 01/12
    december, _ = held(tree.cell, starts_at=at(2026, 12, 3), minutes_long=80, **people)
    after = services.score_meeting(meeting=december, role="self", manual={})
    assert (after.rubric_id, after.points["duration"]) == (authored.pk, "3")
    assert QualityScore.objects.filter(rubric=base).count() == 1


def test_a_version_in_use_is_kept_and_a_new_one_follows_it(
    tree, base, committee_client
):
    english(committee_client)
    committee_client.post(evaluation_url("rubric-new", tree.ward.pk), form_data(base))
    first = Rubric.objects.get(code=f"org-{tree.ward.pk}")
    # unused: it may still be corrected
    edited = committee_client.post(
        evaluation_url("rubric-edit", tree.ward.pk, first.pk),
        form_data(first, item__duration__full="5", name="Sửa tên"),
    )
    assert edited.status_code == 302
    first.refresh_from_db()
    assert first.name == "Sửa tên"

    people = {"chair": tree.secretary, "taker": tree.member}
    december, _ = held(tree.cell, starts_at=at(2026, 12, 3), **people)
    services.score_meeting(meeting=december, role="self", manual={})
    page = committee_client.get(evaluation_url("rubric-edit", tree.ward.pk, first.pk))
    assert 'id="rubric-in-use"' in page.content.decode()
    refused = committee_client.post(
        evaluation_url("rubric-edit", tree.ward.pk, first.pk), form_data(first)
    )
    assert refused.status_code == 403

    same_day = committee_client.post(
        evaluation_url("rubric-new", tree.ward.pk), form_data(first)
    )
    assert "must take effect after the previous one (from 01/12/2026)" in (
        same_day.content.decode()
    )
    later = form_data(first, item__duration__full="5")
    later["valid_from"] = "01/01/2027"
    assert (
        committee_client.post(
            evaluation_url("rubric-new", tree.ward.pk), later
        ).status_code
        == 302
    )
    versions = list(
        Rubric.objects.filter(code=first.code).values_list("version", "valid_from")
    )
    assert versions == [(2, date(2027, 1, 1)), (1, date(2026, 12, 1))]
    first.refresh_from_db()
    assert first.name == "Sửa tên"
    assert first.superseded_at is not None
    assert QualityScore.objects.get(meeting=december).rubric_id == first.pk


@pytest.mark.parametrize("versions", [1, 3])
def test_rubric_pages_queries_do_not_grow(tree, base, committee_client, versions):
    data = form_data(base)
    for index in range(versions):
        data["valid_from"] = f"01/{index + 1:02d}/2027"
        assert (
            committee_client.post(
                evaluation_url("rubric-new", tree.ward.pk), data
            ).status_code
            == 302
        )
    latest = Rubric.objects.filter(code=f"org-{tree.ward.pk}").first()
    pages = {
        "settings": evaluation_url("rubric-settings", tree.ward.pk),
        "new": evaluation_url("rubric-new", tree.ward.pk),
        "edit": evaluation_url("rubric-edit", tree.ward.pk, latest.pk),
    }
    counted = {}
    for page, path in pages.items():
        with CaptureQueriesContext(connection) as queries:
            assert committee_client.get(path).status_code == 200
        counted[page] = len(queries.captured_queries)
    # The same literals for 1 and 3 versions: the session, the user, the scope, the
    # node, the shipped rubrics ensured, the rubrics and their use, the choices.
    assert counted == {"settings": 11, "new": 11, "edit": 9}
