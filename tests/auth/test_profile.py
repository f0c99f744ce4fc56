"""Editing your own profile: every field saved, invalid input refused and kept."""

from __future__ import annotations

import pytest

from tests.auth import EN, post, text, user_by_email

PROFILE = {
    "name": "Ibu Sari Wulandari, S.Pd.",
    "username": "busari",
    "school": "SD Negeri 12 Makassar",
    "subjects": "Matematika,  IPA",
    "level": "SD",
    "province": "Sulawesi Selatan",
    "city": "Kota Makassar",
    "timezone": "Asia/Makassar",
    "locale": "en",
    "bio": "Guru kelas 4. Suka **pembelajaran berdiferensiasi**.",
}


@pytest.fixture
def user(client, factory, auth):
    user = factory.user(email="sari@example.id", locale="en")
    auth.login(user.email)
    return user


def save(client, **changes):
    return post(client, "/auth/profile", {**PROFILE, **changes})


def test_profile_needs_a_login(client):
    response = client.get("/auth/profile")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login?next=")


def test_profile_page_shows_the_zone_times_are_shown_in(client, factory, auth):
    user = factory.user(locale="en", timezone="Asia/Makassar")
    auth.login(user.email)
    response = client.get("/auth/profile")
    assert response.status_code == 200
    assert "Times are shown in WITA." in text(response)


def test_profile_form_starts_with_the_saved_values(client, user):
    page = text(client.get("/auth/profile"))
    assert f'value="{user.username}"' in page
    assert '<option selected value="">' in page  # no level yet


def test_saving_the_profile_stores_every_field(app, client, user):
    response = save(client)
    assert response.status_code == 302
    stored = user_by_email(app, "sari@example.id")
    assert stored.name == "Ibu Sari Wulandari, S.Pd."
    assert stored.username == "busari"
    assert stored.school == "SD Negeri 12 Makassar"
    assert stored.subject_list == ["Matematika", "IPA"]
    assert (stored.level, stored.province, stored.city) == (
        "SD",
        "Sulawesi Selatan",
        "Kota Makassar",
    )
    assert (stored.timezone, stored.locale) == ("Asia/Makassar", "en")
    assert stored.bio == PROFILE["bio"]


def test_saving_shows_a_confirmation(client, user):
    save(client)
    assert "Your profile has been saved." in text(client.get("/auth/profile"))


def test_an_empty_level_clears_it(app, client, user):
    save(client)
    save(client, level="")
    assert user_by_email(app, "sari@example.id").level is None


def test_the_new_time_zone_is_used_at_once(client, user):
    save(client, timezone="Asia/Jayapura")
    assert "Times are shown in WIT." in text(client.get("/auth/profile"))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("timezone", "Europe/Berlin"),
        ("timezone", "Asia/Singapore"),
        ("level", "SMP2"),
        ("locale", "fr"),
        ("name", ""),
        ("name", "x" * 121),
        ("school", "x" * 161),
        ("bio", "x" * 4001),
        ("username", "Bu Sari!"),
        ("username", "ab"),
    ],
)
def test_invalid_values_are_refused_and_nothing_is_saved(app, client, user, field, value):
    response = save(client, **{field: value})
    assert response.status_code == 400
    assert 'class="error"' in text(response)
    stored = user_by_email(app, "sari@example.id")
    assert (stored.school, stored.timezone) == ("", "Asia/Jakarta")


def test_the_form_keeps_what_was_typed_after_an_error(client, user):
    response = save(client, timezone="Europe/Berlin")
    assert 'value="SD Negeri 12 Makassar"' in text(response)


def test_a_username_taken_by_someone_else_is_refused(app, client, factory, user):
    factory.user(username="busari")
    response = save(client)
    assert response.status_code == 409
    assert "That username is taken." in text(response)
    assert user_by_email(app, "sari@example.id").username == user.username


def test_keeping_your_own_username_is_fine(client, user):
    assert save(client, username=user.username).status_code == 302


def test_preview_renders_the_bio_without_saving(app, client, user):
    response = save(client, bio="Halo **semua** <script>alert(1)</script>", preview="1")
    assert response.status_code == 200
    page = text(response)
    assert "<strong>semua</strong>" in page
    assert "<script>alert(1)</script>" not in page
    assert user_by_email(app, "sari@example.id").bio == ""


def test_the_saved_bio_is_previewed_on_the_form(client, user):
    save(client)
    assert "<strong>pembelajaran berdiferensiasi</strong>" in text(client.get("/auth/profile"))


def test_choosing_a_language_switches_the_pages(client, factory, auth):
    user = factory.user(locale="id")
    auth.login(user.email)
    save(client, username=user.username, locale="en")
    assert '<html lang="en">' in text(
        client.get("/auth/profile", headers={"Accept-Language": "id"})
    )


def test_profile_page_is_english_for_english_users(client, user):
    assert "My profile" in text(client.get("/auth/profile", headers=EN))
