"""Learning-cycle fixtures: a private KKG with a coordinator, a model teacher, three
observers, a plain member and an outsider; and a lesson study at the observe stage."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from tests.chat import Client
from tests.cycles import builders
from tests.e2e.conftest import live_server  # noqa: F401 - the real server for real clients


@dataclass
class People:
    """The community and who is who in it."""

    community: Any
    coordinator: Any
    model: Any
    observers: list[Any]
    member: Any
    outsider: Any
    admin: Any


@pytest.fixture
def people(factory) -> People:
    coordinator = factory.user(name="Pak Andi Pratama", timezone="Asia/Makassar")
    community = factory.community(coordinator, visibility="private", name="KKG Gugus 3")
    model = factory.user(name="Ibu Nurhayati")
    observers = [factory.user(name=f"Pengamat {n}") for n in (1, 2, 3)]
    member = factory.user(name="Pak Anggota")
    for person in (model, *observers, member):
        factory.member(community, person)
    return People(
        community=community,
        coordinator=coordinator,
        model=model,
        observers=observers,
        member=member,
        outsider=factory.user(name="Pak Luar"),
        admin=factory.user(name="Admin Situs", admin=True),
    )


@pytest.fixture
def study(app, people):
    """A lesson study at the observe stage (opened by the coordinator)."""
    return builders.lesson_study(
        app, people.community, people.coordinator, people.model, people.observers
    )


@pytest.fixture
def clients():
    """``clients()`` makes a recording Socket.IO client; all are closed afterwards."""
    made: list[Client] = []

    def make() -> Client:
        client = Client()
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()
