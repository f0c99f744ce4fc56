from cop.communities.models import Membership


def test_factory_builds_a_community_with_its_coordinator(app, factory):
    owner = factory.user(name="Ibu Sari")
    community = factory.community(owner, name="KKG Gugus 3 Tamalate")
    assert community.slug == "kkg-gugus-3-tamalate"
    assert community.member_count == 1
    membership = factory.get(Membership, 1)
    assert (membership.user_id, membership.role, membership.status) == (
        owner.id,
        "coordinator",
        "active",
    )


def test_home_page_renders_for_visitors(client, factory):
    factory.community(name="MGMP Matematika SMP Kota Makassar")
    response = client.get("/")
    assert response.status_code == 200
    assert "MGMP Matematika SMP Kota Makassar" in response.get_data(as_text=True)
