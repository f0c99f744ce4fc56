"""Demo discussions: questions and answers with a solution, a thanks and a
mention.
"""

from __future__ import annotations

from cop.demo._common import Demo
from cop.discussions import services as discussion_services


def add_discussions(demo: Demo) -> None:
    """A few real-sounding questions and answers, a solution, a like and a mention."""
    kkg = demo.community("kkg")
    guru, andi, nurhayati = demo.user("guru"), demo.user("andi"), demo.user("nurhayati")
    topic = discussion_services.create_topic(
        guru,
        kkg,
        discussion_services.TopicData(
            title="Asesmen diagnostik awal semester untuk kelas 4",
            body=(
                "Bapak/Ibu, bagaimana cara menyusun **asesmen diagnostik** non-kognitif "
                "yang singkat? Murid saya 32 orang dan waktunya terbatas."
            ),
            tags="asesmen kurikulum-merdeka",
        ),
    )
    answer = discussion_services.reply(
        nurhayati,
        topic,
        "Saya pakai angket 5 pertanyaan dengan emoji untuk suasana hati, lalu wawancara "
        "singkat 3 murid per hari. Contoh angketnya:\n\n"
        "1. Bagaimana perasaanmu hari ini?\n2. Pelajaran apa yang paling kamu suka?",
        parent_id=topic.first_post_id,
    )
    discussion_services.reply(
        andi,
        topic,
        f"Setuju dengan Bu Nurhayati. @{guru.username}, nanti kita bahas di pertemuan "
        "KKG Sabtu depan ya.",
    )
    discussion_services.react(guru, answer, "thanks")
    discussion_services.mark_solution(guru, topic, answer.id)
    discussion_services.create_topic(
        andi,
        kkg,
        discussion_services.TopicData(
            title="Jadwal berbagi praktik baik: modul ajar P5",
            body="Silakan tulis nama Bapak/Ibu yang siap berbagi modul ajar projek P5 bulan ini.",
            tags="p5 modul-ajar",
        ),
    )
    mat = demo.community("mgmp_mat")
    discussion_services.create_topic(
        demo.user("yohanes"),
        mat,
        discussion_services.TopicData(
            title="Soal HOTS pecahan untuk kelas 7",
            body="Ada yang punya contoh soal HOTS tentang pecahan dengan konteks pasar di Kupang?",
            tags="matematika hots",
        ),
    )
