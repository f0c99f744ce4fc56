"""Demo communities: a KKG, two MGMPs and a hidden komunitas belajar, with their
moderators, members and a pending request.
"""

from __future__ import annotations

from dataclasses import dataclass

from cop.communities import services as community_services
from cop.demo._common import Demo


@dataclass(frozen=True)
class Group:
    """One demo community: who created it and who is in it with which role."""

    key: str
    creator: str
    data: community_services.CommunityData
    moderators: tuple[str, ...] = ()
    members: tuple[str, ...] = ()
    pending: tuple[str, ...] = ()


GROUPS: tuple[Group, ...] = (
    Group(
        "kkg",
        creator="andi",
        data=community_services.CommunityData(
            name="KKG Gugus 3 Kecamatan Tamalate",
            kind="KKG",
            visibility="public",
            level="SD",
            province="Sulawesi Selatan",
            city="Kota Makassar",
            description=(
                "Kelompok Kerja Guru SD Gugus 3 Kecamatan Tamalate. Kami bertemu setiap "
                "**Sabtu kedua** untuk berbagi praktik baik Kurikulum Merdeka, menyusun "
                "modul ajar bersama, dan saling mengamati pembelajaran.\n\n"
                "Anggota: guru kelas dan guru mapel dari 8 SD di gugus 3."
            ),
        ),
        moderators=("nurhayati",),
        members=("guru", "ridwan"),
    ),
    Group(
        "mgmp_mat",
        creator="yohanes",
        data=community_services.CommunityData(
            name="MGMP Matematika SMP Kota Kupang",
            kind="MGMP",
            visibility="public",
            subject="Matematika",
            level="SMP",
            province="Nusa Tenggara Timur",
            city="Kota Kupang",
            description=(
                "Musyawarah Guru Mata Pelajaran Matematika SMP se-Kota Kupang. Fokus tahun "
                "ini: asesmen diagnostik, numerasi, dan pembelajaran berbasis masalah "
                "dengan konteks lokal NTT."
            ),
        ),
        moderators=("maria",),
        members=("fransiska",),
    ),
    Group(
        "mgmp_ing",
        creator="elisabeth",
        data=community_services.CommunityData(
            name="MGMP Bahasa Inggris SMA Kabupaten Jayapura",
            kind="MGMP",
            visibility="private",
            subject="Bahasa Inggris",
            level="SMA",
            province="Papua",
            city="Kabupaten Jayapura",
            description=(
                "Forum guru Bahasa Inggris SMA di Kabupaten Jayapura. Bergabung dengan "
                "persetujuan pengurus. Kami berbagi materi *speaking* dan *reading* yang "
                "dekat dengan kehidupan siswa di Papua."
            ),
        ),
        members=("daniel",),
        pending=("ruth",),
    ),
    Group(
        "kombel",
        creator="dewi",
        data=community_services.CommunityData(
            name="Komunitas Belajar SMP Negeri 115 Jakarta",
            kind="KOMBEL",
            visibility="hidden",
            level="SMP",
            province="DKI Jakarta",
            city="Kota Jakarta Selatan",
            description=(
                "Komunitas belajar guru SMP Negeri 115 Jakarta: refleksi mingguan dan "
                "berbagi praktik antarmapel. Khusus guru sekolah ini (lewat undangan)."
            ),
        ),
        members=("budi", "rina"),
    ),
)


def add_communities(demo: Demo) -> None:
    """The KKG, the two MGMPs and the hidden KOMBEL with their members."""
    for group in GROUPS:
        coordinator = demo.user(group.creator)
        community = community_services.create_community(coordinator, group.data)
        demo.communities[group.key] = community
        for key in (*group.moderators, *group.members):
            if community.visibility == "hidden":
                community_services.join_by_invite(demo.user(key), community.invite_token)
            else:
                membership = community_services.join(demo.user(key), community)
                if membership.status == "pending":
                    community_services.change_member(
                        coordinator, community, demo.user(key).id, status="active"
                    )
        for key in group.moderators:
            community_services.change_member(
                coordinator, community, demo.user(key).id, role="moderator"
            )
        for key in group.pending:
            community_services.join(demo.user(key), community)
