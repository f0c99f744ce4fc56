"""Demo recognition: half a year of the KKG's monthly sessions, so the demo teachers hold
a believable spread of badges and the leaderboard has a story.

The story: Ibu Nurhayati came to every session and presented three times (a
six-in-a-row streak, Speaker and Experienced speaker); Siti (the demo teacher)
missed one session in March, so her streak restarted, but she presented once
and ticked off her action item; Pak Andi, the coordinator, wrote the minutes;
Pak Ridwan came now and then. Everything goes through the real services, so
the badges are awarded live, as they would be.
"""

from __future__ import annotations

from datetime import timedelta

from cop.communities import services as community_services
from cop.core.types import utcnow
from cop.demo._common import WITA, Demo
from cop.discussions import services as discussion_services
from cop.discussions.models import Post
from cop.extensions import db
from cop.meetings import services as meeting_services
from cop.meetings.models import ActionItem, AgendaItem, Meeting

#: who came to each of the six past sessions (oldest first)
ATTENDANCE = (
    ("andi", "nurhayati", "guru", "ridwan"),
    ("andi", "nurhayati", "guru"),
    ("andi", "nurhayati", "ridwan"),
    ("andi", "nurhayati", "guru"),
    ("andi", "nurhayati", "guru", "ridwan"),
    ("andi", "nurhayati", "guru"),
)
#: who presented at each session (None: no presenter from the community)
PRESENTERS = ("nurhayati", None, "nurhayati", "guru", "nurhayati", None)
#: colleagues from other communities who joined the (public) KKG
EXTRA_MEMBERS = ("dewi", "budi", "rina")


def add_recognition(demo: Demo) -> None:
    """Six past monthly sessions with attendance, presenters and minutes, and likes."""
    kkg = demo.community("kkg")
    andi = demo.user("andi")
    for key in EXTRA_MEMBERS:
        community_services.join(demo.user(key), kkg)
    for months_ago, (people, presenter) in enumerate(zip(ATTENDANCE, PRESENTERS, strict=True)):
        start = (utcnow() - timedelta(days=30 * (6 - months_ago) + 3)).replace(microsecond=0)
        meeting = Meeting(
            community_id=kkg.id,
            title=f"Pertemuan rutin KKG ke-{months_ago + 1}",
            kind="routine",
            starts_at=start,
            ends_at=start + timedelta(hours=3),
            timezone=WITA,
            mode="offline",
            location="SD Inpres Tamalate 1",
            pkb_hours=3,
            checkin_code=f"RUTIN{months_ago}",
            created_by_id=andi.id,
        )
        db.session.add(meeting)
        db.session.flush()
        if presenter:
            db.session.add(
                AgendaItem(
                    meeting_id=meeting.id,
                    title="Berbagi praktik baik",
                    presenter_id=demo.user(presenter).id,
                    duration_min=60,
                )
            )
        db.session.commit()
        for key in people:
            meeting_services.mark(andi, meeting, demo.user(key).id, now=start)
        if months_ago in (3, 5):
            meeting_services.save_minutes(
                andi,
                meeting,
                "## Kesepakatan\n\n- Mencoba satu strategi diferensiasi.",
                action_items=[meeting_services.ActionItemData("Bagikan RPP", demo.user("guru").id)],
                publish=True,
            )
    guru = demo.user("guru")
    for item in db.session.query(ActionItem).filter_by(assignee_id=guru.id).all():
        meeting_services.set_action_item_done(guru, item.id, True)
    _likes(demo)


def _likes(demo: Demo) -> None:
    """The community likes the answers in its discussions (never one's own)."""
    kkg = demo.community("kkg")
    likers = [demo.user(k) for k in ("andi", "nurhayati", "guru", "ridwan", *EXTRA_MEMBERS)]
    from cop.discussions.models import Topic

    posts = (
        db.session.query(Post)
        .join(Topic, Topic.id == Post.topic_id)
        .filter(Topic.community_id == kkg.id, Post.id != Topic.first_post_id)
        .all()
    )
    for post in posts:
        for liker in likers:
            if liker.id != post.author_id:
                discussion_services.react(liker, post, "like")
