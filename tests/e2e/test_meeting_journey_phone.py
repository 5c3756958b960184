"""The meeting journey of test_meeting_journey.py again on a 390-px phone (issue 16,
"done when"): the secretary's every step works on a phone; its screenshots are kept
as phone-journey-<step>.png in var/test-artifacts/."""

import pytest

from tests.e2e import test_meeting_journey as journey

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def test_secretary_runs_a_meeting_on_a_phone(
    page, login, screenshot, tree, users, browser, live_server
):
    page.set_viewport_size(PHONE)

    def phone_screenshot(name):
        return screenshot(f"phone-journey-{name}")

    journey.test_secretary_runs_a_meeting_from_plan_to_acknowledged(
        page, login, phone_screenshot, tree, users, browser, live_server
    )

    assert page.viewport_size == PHONE
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
