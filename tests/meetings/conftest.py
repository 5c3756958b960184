"""Fixtures the meetings app's tests share across its test packages."""

import pytest


@pytest.fixture
def media(settings, tmp_path):
    """Uploads straight into the test's temporary folder (not tmp_path/"media", as
    the suite-wide media_root fixture has it), for tests that look at the files."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path
