"""Hostile input on the evaluations forms: never a 500, nothing half stored, stored
text is NFC without control characters."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evaluations.models import QualityScore, Recommendation, SupervisionReport, Task
from tests.factories.evaluations import close
from tests.support.hostile import NUMBER, SETTINGS, TEXT, assert_clean
from tests.support.pages import evaluation_url

pytestmark = pytest.mark.django_db


@SETTINGS
@given(text=TEXT, deadline=TEXT, group=TEXT, pick=st.booleans())
def test_task_form_survives_anything(
    persona_client, tree, meeting, text, deadline, group, pick
):
    client = persona_client("secretary")
    before = Task.objects.count()
    data = {"text": text, "deadline": deadline, "party_group": group}
    if pick:
        data["assignees"] = [tree.member.pk]
    response = client.post(evaluation_url("task-add", meeting.pk), data)
    assert response.status_code in (302, 422)
    if response.status_code == 422:
        assert Task.objects.count() == before
    else:
        assert_clean(Task.objects.latest("pk").text)


@SETTINGS
@given(observations=TEXT, rec=TEXT, addressee=TEXT, responsible=TEXT)
def test_report_form_survives_anything(
    persona_client, tree, meeting, observations, rec, addressee, responsible
):
    if not meeting.minutes.adopted_at:
        close(meeting)
    client = persona_client("supervisor")
    reports, recs = SupervisionReport.objects.count(), Recommendation.objects.count()
    response = client.post(
        evaluation_url("report-file", meeting.pk),
        {
            "observations": observations,
            "rec-0-text": rec,
            "rec-0-addressee": addressee,
            "rec-0-responsible": responsible,
        },
    )
    assert response.status_code in (302, 422)
    if response.status_code == 422:
        assert SupervisionReport.objects.count() == reports
        assert Recommendation.objects.count() == recs
    else:
        assert_clean(SupervisionReport.objects.latest("pk").observations)


@SETTINGS
@given(content=NUMBER, steps=NUMBER, note=TEXT)
def test_score_form_survives_anything(persona_client, meeting, content, steps, note):
    client = persona_client("secretary")
    before = QualityScore.objects.count()
    response = client.post(
        evaluation_url("score-edit", meeting.pk, "self"),
        {"item-content": content, "item-steps": steps, "note": note},
    )
    assert response.status_code in (302, 422)
    if response.status_code == 422:
        assert QualityScore.objects.count() == before
