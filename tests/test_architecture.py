"""Guard rails for the layering in docs/development.md, read from the source (AST).

Each rule is a function from one module (its dotted name, path and source) to
the violations it finds, so the same function checks the real tree and the
small synthetic sources in the self-tests below (which prove each rule still
catches what it is meant to catch: a guard that cannot fail guards nothing).
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "cop"

#: the feature packages under cop/ (everything but the core and the JSON edge)
FEATURES = frozenset(
    {
        "auth",
        "communities",
        "discussions",
        "chat",
        "meetings",
        "insights",
        "resources",
        "notifications",
        "search",
        "admin",
        "dashboard",
        "badges",
        "cycles",
        "demo",
        "privacy",
        "push",
        "pwa",
    }
)
#: what the core may import besides itself and a feature's models
CORE_MAY_IMPORT = ("cop.core", "cop.signals", "cop.extensions")
#: a feature's edges: no other feature imports them
EDGES = ("views", "events")
#: the file names every feature uses (docs/development.md)
HOUSE_MODULES = frozenset(
    {*EDGES, "models", "forms", "services", "queries", "handlers", "serializers", "api"}
)
MAX_MODULE_LINES = 500
MAX_HANDLER_LINES = 30
ROUTE_DECORATORS = frozenset({"route", "get", "post", "put", "patch", "delete"})


@dataclass(frozen=True)
class Module:
    """One source file: ``name`` is its dotted module name (``cop.chat.events``)."""

    name: str
    path: str
    source: str

    @property
    def is_package(self) -> bool:
        return self.path.endswith("__init__.py")

    @property
    def tree(self) -> ast.Module:
        return ast.parse(self.source, filename=self.path)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> list[Module]:
    return [
        Module(_module_name(p), str(p.relative_to(ROOT)), p.read_text(encoding="utf-8"))
        for p in sorted(PACKAGE.rglob("*.py"))
    ]


def _is_module(name: str) -> bool:
    """True when ``name`` is a module or package of this tree (``cop.meetings.models``)."""
    base = ROOT.joinpath(*name.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def _imports(module: Module) -> Iterator[tuple[int, str]]:
    """Every (line, imported module) in ``module``, lazy imports in functions included.

    ``from cop.meetings import services`` counts as ``cop.meetings.services``;
    ``from cop.meetings import Meeting`` as ``cop.meetings``. Relative imports
    are resolved against the module's package.
    """
    package = module.name if module.is_package else module.name.rpartition(".")[0]
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                # the house's file names are modules even before they exist (self-tests)
                is_module = _is_module(sub) or alias.name in HOUSE_MODULES
                yield node.lineno, sub if is_module else target


def _within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def _feature_of(name: str) -> str | None:
    parts = name.split(".")
    return parts[1] if len(parts) >= 2 and parts[0] == "cop" and parts[1] in FEATURES else None


# --- the rules ---------------------------------------------------------------------------


def core_imports_no_feature(module: Module) -> list[str]:
    """``cop/core/**`` imports the core, signals, extensions and a feature's models only."""
    if not _within(module.name, "cop.core"):
        return []
    found = []
    for line, target in _imports(module):
        if not _within(target, "cop") or any(_within(target, ok) for ok in CORE_MAY_IMPORT):
            continue
        feature = _feature_of(target)
        if feature and _within(target, f"cop.{feature}.models"):
            continue
        found.append(f"{module.path}:{line}: the core imports {target}")
    return found


def features_import_no_edge(module: Module) -> list[str]:
    """A feature never imports another feature's views/events, nor anything in ``cop.api``."""
    own = _feature_of(module.name)
    if own is None:
        return []
    found = []
    for line, target in _imports(module):
        other = _feature_of(target)
        if _within(target, "cop.api"):
            found.append(f"{module.path}:{line}: feature {own} imports the API edge {target}")
        elif other and other != own and any(_within(target, f"cop.{other}.{e}") for e in EDGES):
            found.append(f"{module.path}:{line}: feature {own} imports the edge {target}")
    return found


def _is_edge_module(module: Module) -> bool:
    parts = module.name.split(".")
    if parts[:2] == ["cop", "api"] or module.name == "cop.chat.fastsend":
        return True
    return len(parts) >= 3 and parts[0] == "cop" and parts[2] in EDGES


def edges_never_touch_the_session(module: Module) -> list[str]:
    """Views, API and socket modules reach the database through services and queries only."""
    if not _is_edge_module(module):
        return []
    db_names = {"db"}
    tree = module.tree
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "cop.extensions":
            db_names.update(a.asname or a.name for a in node.names if a.name == "db")
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Attribute) and node.attr == "session"):
            continue
        owner = node.value
        if (isinstance(owner, ast.Name) and owner.id in db_names) or (
            isinstance(owner, ast.Attribute) and owner.attr == "db"
        ):
            found.append(f"{module.path}:{node.lineno}: an edge module uses db.session")
    return found


def modules_stay_small(module: Module) -> list[str]:
    """No module under ``cop/`` over 500 lines: split it into a package by activity."""
    lines = len(module.source.splitlines())
    if lines > MAX_MODULE_LINES:
        return [f"{module.path}:1: {lines} lines (at most {MAX_MODULE_LINES})"]
    return []


def _is_route(decorator: ast.expr) -> bool:
    return (
        isinstance(decorator, ast.Call)
        and isinstance(decorator.func, ast.Attribute)
        and decorator.func.attr in ROUTE_DECORATORS
        and isinstance(decorator.func.value, ast.Name)
    )


def _is_socket_handler(module: Module, node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    parts = module.name.split(".")
    if len(parts) < 3 or parts[2] != "events":  # events.py, or an events/ package
        return False
    on_decorator = any(
        isinstance(d, ast.Call) and isinstance(d.func, ast.Attribute) and d.func.attr == "on"
        for d in node.decorator_list
    )
    return node.name.startswith("on_") or on_decorator


def handlers_stay_short(module: Module) -> list[str]:
    """View functions and socket handlers: at most 30 lines from ``def`` to the last line."""
    found = []
    for node in ast.walk(module.tree):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if not (any(_is_route(d) for d in node.decorator_list) or _is_socket_handler(module, node)):
            continue
        # lineno is the ``def`` line (decorators excluded), end_lineno the last line of the body
        length = (node.end_lineno or node.lineno) - node.lineno + 1
        if length > MAX_HANDLER_LINES:
            found.append(
                f"{module.path}:{node.lineno}: {node.name}() is {length} lines "
                f"(at most {MAX_HANDLER_LINES})"
            )
    return found


RULES: dict[str, Callable[[Module], list[str]]] = {
    "core imports no feature": core_imports_no_feature,
    "features import no edge": features_import_no_edge,
    "edges never touch db.session": edges_never_touch_the_session,
    "modules stay small": modules_stay_small,
    "views and socket handlers stay short": handlers_stay_short,
}


@pytest.fixture(scope="module")
def modules() -> list[Module]:
    return _modules()


@pytest.mark.parametrize("rule", list(RULES))
def test_rule_holds(rule: str, modules: list[Module]) -> None:
    """Every module under cop/ keeps the rule; the message lists file:line and what broke it."""
    check = RULES[rule]
    violations = sorted(
        {v for module in modules for v in check(module)},
        key=lambda v: (v.split(":")[0], int(v.split(":")[1])),
    )
    assert not violations, f"{rule}: {len(violations)} violation(s)\n" + "\n".join(violations)


def hand_written_csrf_fields(path: str, source: str) -> list[str]:
    """Templates take the CSRF field from ``csrf_input()``/``post_button()`` (_macros/forms)."""
    if path.endswith("_macros/forms.html"):
        return []
    return [
        f"{path}:{number}: a hand-written CSRF field (use csrf_input() or post_button())"
        for number, line in enumerate(source.splitlines(), 1)
        if 'name="csrf_token"' in line
    ]


def test_templates_take_the_csrf_field_from_the_macros() -> None:
    """No template writes ``<input name="csrf_token">`` itself."""
    violations = [
        v
        for template in sorted((ROOT / "templates").rglob("*.html"))
        for v in hand_written_csrf_fields(
            str(template.relative_to(ROOT)), template.read_text(encoding="utf-8")
        )
    ]
    assert not violations, "\n".join(violations)


def test_csrf_rule_catches_a_hand_written_field() -> None:
    form = '<form method="post">\n  <input type="hidden" name="csrf_token" value="{{ x }}">\n'
    assert hand_written_csrf_fields("templates/x.html", form) == [
        "templates/x.html:2: a hand-written CSRF field (use csrf_input() or post_button())"
    ]
    assert hand_written_csrf_fields("templates/_macros/forms.html", form) == []


def test_every_package_is_classified() -> None:
    """A new package under cop/ is a feature (list it in FEATURES), the core or the API."""
    packages = {p.parent.name for p in PACKAGE.glob("*/__init__.py")}
    assert packages - FEATURES - {"core", "api"} == set()


# --- self-tests: each rule catches a tiny synthetic violation ----------------------------


def _synthetic(name: str, source: str) -> Module:
    path = name.replace(".", "/") + ".py"
    return Module(name, path, source)


def test_core_rule_catches_a_feature_import() -> None:
    lazy = "def f():\n    from cop.meetings.services import minutes_of\n"
    assert core_imports_no_feature(_synthetic("cop.core.permissions", lazy)) == [
        "cop/core/permissions.py:2: the core imports cop.meetings.services"
    ]
    relative = "from ..meetings import services\n"
    assert core_imports_no_feature(_synthetic("cop.core.web", relative)) == [
        "cop/core/web.py:1: the core imports cop.meetings.services"
    ]
    assert core_imports_no_feature(_synthetic("cop.core.web", "import cop.api.views\n"))
    fine = (
        "from cop.auth.models import User\nfrom cop.core.ids import MAX_ID\n"
        "from cop import signals\nfrom cop.extensions import db\n"
    )
    assert core_imports_no_feature(_synthetic("cop.core.web", fine)) == []


def test_edge_rule_catches_another_features_views_and_the_api() -> None:
    source = (
        "from cop.meetings.views import ics_response\n"
        "from cop.discussions import events\n"
        "from cop.api.serializers import user_json\n"
        "from cop.chat.events import on_join\n"
    )
    assert features_import_no_edge(_synthetic("cop.chat.handlers", source)) == [
        "cop/chat/handlers.py:1: feature chat imports the edge cop.meetings.views",
        "cop/chat/handlers.py:2: feature chat imports the edge cop.discussions.events",
        "cop/chat/handlers.py:3: feature chat imports the API edge cop.api.serializers",
    ]
    assert features_import_no_edge(_synthetic("cop.api.chat", source)) == []


def test_session_rule_catches_db_session_in_an_edge() -> None:
    source = (
        "from cop.extensions import db as database\n"
        "import cop.extensions\n"
        "def view():\n"
        "    database.session.commit()\n"
        "    cop.extensions.db.session.rollback()\n"
        "    db.session.get(1, 2)\n"
    )
    expected = [4, 5, 6]
    for name in ("cop.meetings.views", "cop.meetings.views.agenda", "cop.api.users"):
        found = edges_never_touch_the_session(_synthetic(name, source))
        assert [int(v.split(":")[1]) for v in found] == expected, name
    for name in ("cop.chat.events", "cop.chat.fastsend"):
        assert edges_never_touch_the_session(_synthetic(name, source)), name
    assert edges_never_touch_the_session(_synthetic("cop.meetings.services", source)) == []


def test_size_rule_catches_a_long_module() -> None:
    long = "x = 1\n" * (MAX_MODULE_LINES + 1)
    assert modules_stay_small(_synthetic("cop.meetings.services", long)) == [
        f"cop/meetings/services.py:1: {MAX_MODULE_LINES + 1} lines (at most {MAX_MODULE_LINES})"
    ]
    assert modules_stay_small(_synthetic("cop.x", "x = 1\n" * MAX_MODULE_LINES)) == []


def _function(name: str, lines: int, decorator: str = "") -> str:
    """A ``def`` of exactly ``lines`` lines (docstring included), with a decorator above."""
    body = '    """Doc."""\n' + "    x = 1\n" * (lines - 2)
    return f"{decorator}\ndef {name}():\n{body}"


def test_length_rule_catches_a_long_view_and_socket_handler() -> None:
    decorator = '@bp.get("/a")\n@login_required'
    view = _function("page", MAX_HANDLER_LINES + 1, decorator)
    assert handlers_stay_short(_synthetic("cop.x.views", view)) == [
        f"cop/x/views.py:3: page() is {MAX_HANDLER_LINES + 1} lines (at most {MAX_HANDLER_LINES})"
    ]
    assert handlers_stay_short(_synthetic("cop.x.views", _function("page", 30, decorator))) == []
    handler = "class Chat:\n" + "".join(
        "    " + line + "\n" for line in _function("on_send", 31).splitlines()
    )
    assert len(handlers_stay_short(_synthetic("cop.chat.events", handler))) == 1
    assert len(handlers_stay_short(_synthetic("cop.chat.events.messages", handler))) == 1
    # a helper that is neither a route nor a socket handler may be longer
    assert handlers_stay_short(_synthetic("cop.chat.events", _function("helper", 31))) == []
    assert handlers_stay_short(_synthetic("cop.x.views", _function("on_send", 31))) == []
