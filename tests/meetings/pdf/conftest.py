import pytest


@pytest.fixture
def place(tree):
    tree.province.place = "Nghệ An"
    tree.province.save(update_fields=["place"])
    return "Nghệ An"
