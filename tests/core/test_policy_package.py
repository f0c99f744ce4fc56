"""The policy package's shape: every rule registered once, names resolvable, no feature
imported beyond its models."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from cop.core import permissions
from cop.core.permissions import base

PACKAGE = Path(permissions.__file__).parent


def test_every_prerequisite_is_a_registered_action():
    """Rules name the action that must pass first; each of those names exists."""
    missing = {
        action: needs
        for action, (_rule, needs) in permissions.RULES.items()
        if needs is not None and needs not in permissions.RULES
    }
    assert missing == {}


def test_every_visibility_action_is_registered():
    assert not permissions.VISIBILITY_ACTIONS - permissions.RULES.keys()


def test_an_action_cannot_be_registered_twice():
    with pytest.raises(ValueError, match=r"community\.view"):
        base.register({"community.view": (lambda _u, _t: True, None)}, set())


@pytest.mark.parametrize(
    "name",
    [
        "can",
        "authorize",
        "is_admin",
        "membership_of",
        "prime_membership",
        "prime_memberships",
        "role_in",
        "RULES",
        "VISIBILITY_ACTIONS",
        "visible_community_filter",
        "community_content_filter",
        "resource_visible_filter",
    ],
)
def test_the_package_keeps_the_names_callers_use(name):
    assert hasattr(permissions, name)


@pytest.mark.parametrize("module", sorted(p.name for p in PACKAGE.glob("*.py")))
def test_the_policy_imports_no_feature_beyond_its_models(module):
    """cop.<feature>.models only: the core never depends on a feature's services or views."""
    tree = ast.parse((PACKAGE / module).read_text())
    imported = [
        node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("cop.")
    ]
    allowed = ("cop.core.", "cop.extensions", "cop.signals")
    features = [
        name for name in imported if not name.startswith(allowed) and not name.endswith(".models")
    ]
    assert features == []
