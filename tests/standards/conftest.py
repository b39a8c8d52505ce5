import pytest

from tests.standards.builders import draft_make, in_force_make, node_make


@pytest.fixture
def node(org_a):
    return node_make(org_a)


@pytest.fixture
def draft(org_a, standards_officer):
    """A standard in drafting with a draft version of a few clauses."""
    return draft_make(org_a, standards_officer)


@pytest.fixture
def in_force(org_a, standards_officer):
    """A standard in force with its first version published."""
    return in_force_make(org_a, standards_officer)
