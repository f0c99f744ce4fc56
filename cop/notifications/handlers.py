"""Signal receivers: who is notified of what happened elsewhere.

Each runs after the sender's commit (``signals.send_after_commit``) and writes its
notifications in a unit of work of its own, with ``notify_many`` (each person once,
never the actor, never a deactivated account). Live delivery follows from
``notification_created`` (cop/chat/handlers.py).
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from cop import signals
from cop.auth.models import User
from cop.communities import queries as community_queries
from cop.communities.models import Community
from cop.core import permissions
from cop.core.mentions import mentioned_users
from cop.cycles.serializers import lesson_study_url, pair_url, ptk_url
from cop.discussions import queries as discussion_queries
from cop.extensions import db
from cop.meetings import queries as meeting_queries
from cop.meetings.serializers import meeting_url
from cop.notifications import digests as _digests  # noqa: F401 (the periodic job)
from cop.notifications import preferences
from cop.notifications.services import notify_many

# --- discussions ----------------------------------------------------------------


@signals.post_created.connect
def _post_created(
    _sender: Any, post: Any, topic: Any, author: Any, new_topic: bool = False, **_kwargs: Any
) -> None:
    """Members named with @ hear of the post; of a reply, the topic's watchers and the
    author of the post it answers too (once each, the named first)."""
    url = discussion_queries.post_url(post)
    where = {"actor": author, "community_id": topic.community_id, "post_id": post.id}
    mentioned = discussion_queries.mentioned_readers(post, topic, author)
    notify_many(
        mentioned,
        "mention",
        _l("%(name)s mentioned you in “%(title)s”", name=author.name, title=topic.title),
        url,
        **where,
    )
    if new_topic:
        return  # nobody but the author watches a topic that has just begun
    told = {author.id, *(user.id for user in mentioned)}
    audience = discussion_queries.reply_audience(post, topic, told)
    parent_author_id = discussion_queries.parent_author_id(post)
    notify_many(
        [user for user in audience if user.id == parent_author_id],
        "reply_to_me",
        _l("%(name)s replied to your post in “%(title)s”", name=author.name, title=topic.title),
        url,
        **where,
    )
    notify_many(
        [user for user in audience if user.id != parent_author_id],
        "reply",
        _l("%(name)s replied in “%(title)s”", name=author.name, title=topic.title),
        url,
        **where,
    )


@signals.post_flagged.connect
def _post_flagged(_sender: Any, flag: Any, topic: Any, flagger: Any, **_kwargs: Any) -> None:
    """Tell the community's moderators and coordinators, once per post until they look.

    "Once" is the notifications' unread dedup key, kept by the database: two flags
    filed at the same instant cannot both notify a moderator. Leaders come in a
    fixed order (role, then membership), so two such notifiers wait on each other's
    rows in the same order and never deadlock.
    """
    leaders = [
        membership.user
        for membership in community_queries.leaders(topic.community)
        if permissions.can(membership.user, "topic.moderate", topic)
    ]
    notify_many(
        leaders,
        "flag",
        _l("A post in “%(title)s” was flagged for review", title=topic.title),
        discussion_queries.flags_url(topic.community, flag),
        actor=flagger,
        community_id=topic.community_id,
        dedup_key=f"flag:post:{flag.post_id}",
        post_id=flag.post_id,
        flag_id=flag.id,
    )


# --- chat -----------------------------------------------------------------------


@signals.message_sent.connect
def _message_sent(_sender: Any, message: Any, channel: Any, author: Any, **_kwargs: Any) -> None:
    """Tell the members named with @ (who can read the channel) where they were named."""
    named = mentioned_users(
        message.body, author, lambda user: permissions.can(user, "chat.view", channel)
    )
    if not named:
        return
    notify_many(
        named,
        "mention",
        _l("%(name)s mentioned you in #%(channel)s", name=author.name, channel=channel.name),
        f"/chat/{channel.id}#m{message.id}",
        actor=author,
        community_id=channel.community_id,
        channel_id=channel.id,
        message_id=message.id,
    )


# --- meetings -------------------------------------------------------------------


def _about_meeting(people: Any, meeting: Any, kind: str, title: Any, actor: Any = None) -> None:
    """Tell ``people`` something about ``meeting``, linked to its page."""
    notify_many(
        people,
        kind,
        title,
        meeting_url(meeting),
        actor=actor,
        community_id=meeting.community_id,
        meeting_id=meeting.id,
    )


@signals.meeting_scheduled.connect
def _meeting_scheduled(_sender: Any, meeting: Any, community: Any, actor: Any, **_kw: Any) -> None:
    """Every active member hears of a new meeting (of a series: its first one)."""
    title = _l("New meeting: %(title)s", title=meeting.title)
    _about_meeting(
        meeting_queries.active_members(community), meeting, "meeting_scheduled", title, actor
    )


@signals.meeting_changed.connect
def _meeting_changed(_sender: Any, meeting: Any, actor: Any, **_kw: Any) -> None:
    """Who answered yes or maybe hears that the meeting changed."""
    title = _l("Meeting changed: %(title)s", title=meeting.title)
    _about_meeting(
        meeting_queries.answered_yes_or_maybe(meeting), meeting, "meeting_changed", title, actor
    )


@signals.meeting_cancelled.connect
def _meeting_cancelled(_sender: Any, meeting: Any, actor: Any, reason: str, **_kw: Any) -> None:
    """Who answered yes or maybe hears that the meeting is cancelled, and why."""
    title = _l("Cancelled: %(title)s (%(reason)s)", title=meeting.title, reason=reason)
    people = meeting_queries.answered_yes_or_maybe(meeting)
    _about_meeting(people, meeting, "meeting_cancelled", title, actor)


@signals.waitlist_promoted.connect
def _waitlist_promoted(_sender: Any, meeting: Any, users: list[Any], **_kw: Any) -> None:
    """People who got a seat from the waitlist hear that they are coming."""
    title = _l("A seat freed up: you are coming to %(title)s", title=meeting.title)
    _about_meeting(users, meeting, "meeting_promoted", title)


@signals.minutes_published.connect
def _minutes_published(_sender: Any, meeting: Any, actor: Any, **_kw: Any) -> None:
    """Who attended hears that the minutes are published."""
    title = _l("Minutes published: %(title)s", title=meeting.title)
    _about_meeting(meeting_queries.attendees(meeting), meeting, "minutes_published", title, actor)


@signals.action_item_assigned.connect
def _action_item_assigned(_sender: Any, item: Any, meeting: Any, actor: Any, **_kw: Any) -> None:
    """The assignee hears of their new action item."""
    if item.assignee is not None:
        title = _l("New action item for you: %(title)s", title=item.title)
        _about_meeting([item.assignee], meeting, "action_item", title, actor)


@signals.meeting_reminder_due.connect
def _meeting_reminder(_sender: Any, meeting: Any, user: Any, kind: str, **_kw: Any) -> None:
    """A reminder a day or an hour ahead: in the app, and by push or e-mail as the member
    chose (cop/notifications/delivery.py; the mail is email/notify_reminders)."""
    title = (
        _l("Tomorrow: %(title)s", title=meeting.title)
        if kind == "day"
        else _l("In one hour: %(title)s", title=meeting.title)
    )
    _about_meeting([user], meeting, f"meeting_reminder_{kind}", title)


# --- resources ------------------------------------------------------------------


@signals.resource_shared.connect
def _resource_shared(_sender: Any, resource: Any, actor: Any, **_kw: Any) -> None:
    """The community's members hear of new teaching material (a weekly mail by default)."""
    if resource.community_id is None:
        return
    community = db.session.get(Community, resource.community_id)
    if community is None:
        return
    readers = [
        user
        for user in meeting_queries.active_members(community)
        if permissions.can(user, "resource.view", resource)
    ]
    notify_many(
        readers,
        "resource_shared",
        _l("New in %(community)s: %(title)s", community=community.name, title=resource.title),
        f"/resources/{resource.id}",
        actor=actor,
        community_id=community.id,
        resource_id=resource.id,
    )


# --- communities ----------------------------------------------------------------


def _review_title(decision: str, community: str, note: str) -> Any:
    """What a community's coordinators are told of a site admin's review (lazy: each
    recipient reads it in their language)."""
    if decision == "approved":
        return _l(
            "%(community)s is approved: teachers can find it and join now", community=community
        )
    if decision == "rejected":
        return _l("%(community)s was not approved: %(note)s", community=community, note=note)
    if decision == "archived":
        return _l(
            "%(community)s is archived: it stays readable, nobody can post", community=community
        )
    return _l("%(community)s is open again", community=community)


@signals.community_reviewed.connect
def _community_reviewed(
    _sender: Any, community: Community, actor: User, decision: str, note: str = "", **_kw: Any
) -> None:
    """The community's coordinators hear of a site admin's decision, with the reason."""
    coordinators = [m.user for m in community_queries.leaders(community) if m.role == "coordinator"]
    notify_many(
        coordinators,
        "community_reviewed",
        _review_title(decision, community.name, note),
        f"/c/{community.slug}",
        actor=actor,
        community_id=community.id,
        decision=decision,
    )


# --- recognition ----------------------------------------------------------------


@signals.badge_awarded.connect
def _badge_awarded(
    _sender: Any,
    award_id: int,
    badge: Any,
    user_id: int,
    community_id: int,
    count: int = 1,
    again: bool = False,
    **_kw: Any,
) -> None:
    """The earner hears of their badge (in their language), linked to the award's page."""
    earner = db.session.get(User, user_id)
    community = db.session.get(Community, community_id)
    if earner is None or community is None:
        return
    if again:
        title = _l(
            "You earned the badge “%(badge)s” again in %(community)s (%(count)d times)",
            badge=badge.name,
            community=community.name,
            count=count,
        )
    else:
        title = _l(
            "You earned the badge “%(badge)s” in %(community)s",
            badge=badge.name,
            community=community.name,
        )
    notify_many(
        [earner],
        "badge_awarded",
        title,
        f"/badges/awards/{award_id}",
        community_id=community_id,
        award_id=award_id,
        badge=badge.slug,
    )


# --- mail -------------------------------------------------------------------------


@signals.mail_refused.connect
def _mail_refused(_sender: Any, address: str, reason: str, **_kw: Any) -> None:
    """Record an address the mail server refused for good, so it is not mailed again."""
    preferences.record_bounce(address, reason)


# --- learning cycles -------------------------------------------------------------


def _lesson_team(study: Any) -> list[Any]:
    """The observers and the model teacher of a lesson study."""
    people = [o.user for o in study.observers]
    if study.model_teacher is not None:
        people.append(study.model_teacher)
    return people


@signals.lesson_study_opened.connect
def _lesson_study_opened(_sender: Any, study: Any, actor: Any, **_kw: Any) -> None:
    """The model teacher and the observers hear that a lesson study counts on them."""
    people = _lesson_team(study)
    title = _l("Lesson study: you take part in %(title)s", title=study.title)
    notify_many(
        people,
        "lesson_study_opened",
        title,
        lesson_study_url(study),
        actor=actor,
        community_id=study.community_id,
    )


@signals.lesson_stage_changed.connect
def _lesson_stage_changed(
    _sender: Any, study: Any, actor: Any, stage: str, previous: str, **_kw: Any
) -> None:
    """The observers hear when their sheets open (the observe stage)."""
    if stage != "observe":
        return
    title = _l("Observation sheets are open: %(title)s", title=study.title)
    notify_many(
        [o.user for o in study.observers],
        "lesson_study_stage",
        title,
        lesson_study_url(study),
        actor=actor,
        community_id=study.community_id,
    )


@signals.reflection_published.connect
def _reflection_published(_sender: Any, study: Any, actor: Any, **_kw: Any) -> None:
    """The team hears that the lessons learned are out (and their hours count)."""
    people = _lesson_team(study)
    title = _l("Lessons learned published: %(title)s", title=study.title)
    notify_many(
        people,
        "reflection_published",
        title,
        lesson_study_url(study),
        actor=actor,
        community_id=study.community_id,
    )


@signals.mentoring_pair_started.connect
def _mentoring_pair_started(_sender: Any, pair: Any, actor: Any, **_kw: Any) -> None:
    """The mentor and the mentees hear that their pair is active."""
    people = [pair.mentor, *(m.user for m in pair.mentees)]
    title = _l("Mentoring pair: %(mentor)s", mentor=pair.mentor.name)
    notify_many(
        people,
        "mentoring_pair",
        title,
        pair_url(pair),
        actor=actor,
        community_id=pair.community_id,
    )


@signals.mentoring_session_logged.connect
def _mentoring_session_logged(
    _sender: Any, session: Any, pair: Any, actor: Any, **_kw: Any
) -> None:
    """The mentees (and the mentor, when a coordinator logged it) hear of the session."""
    people = [m.user for m in pair.mentees] + [pair.mentor]
    title = _l("Mentoring session logged: next step %(step)s", step=session.next_step[:80])
    notify_many(
        people,
        "mentoring_session",
        title,
        pair_url(pair),
        actor=actor,
        community_id=pair.community_id,
    )


@signals.mentoring_step_due.connect
def _mentoring_step_due(_sender: Any, session: Any, pair: Any, users: Any, **_kw: Any) -> None:
    """The reminder of a next step falling due (in the app, by push or mail as chosen)."""
    title = _l(
        "Reminder: next step due %(day)s: %(step)s",
        day=session.next_due.isoformat(),
        step=session.next_step[:80],
    )
    notify_many(users, "mentoring_step_due", title, pair_url(pair), community_id=pair.community_id)


@signals.ptk_reviewer_joined.connect
def _ptk_reviewer_joined(_sender: Any, ptk: Any, user: Any, **_kw: Any) -> None:
    """The PTK's author and group hear that their invited reviewer is in."""
    people = db.session.scalars(select(User).where(User.id.in_(ptk.group_ids() or {0}))).all()
    title = _l("%(name)s accepted the invite to review %(title)s", name=user.name, title=ptk.title)
    notify_many(
        people, "ptk_reviewer", title, ptk_url(ptk), actor=user, community_id=ptk.community_id
    )


@signals.ptk_commented.connect
def _ptk_commented(_sender: Any, ptk: Any, comment: Any, actor: Any, **_kw: Any) -> None:
    """The PTK's author and group hear of new feedback."""
    people = db.session.scalars(select(User).where(User.id.in_(ptk.group_ids() or {0}))).all()
    title = _l("New feedback on your PTK: %(title)s", title=ptk.title)
    notify_many(
        people, "ptk_comment", title, ptk_url(ptk), actor=actor, community_id=ptk.community_id
    )


def init_app(_app: Flask) -> None:
    """Nothing to set up: the receivers above connect when create_app imports this module."""


@signals.quiet_members_reminded.connect
def _quiet_reminder(_sender: Any, community: Any, users: Any, actor: Any, **_kwargs: Any) -> None:
    """A coordinator's "we miss you" to members gone quiet (kind ``quiet_reminder``)."""
    title = _l(
        "%(name)s of %(community)s misses you: see what is new",
        name=actor.name,
        community=community.name,
    )
    url = community_queries.home_url(community)
    notify_many(users, "quiet_reminder", title, url, actor=actor, community_id=community.id)


@signals.membership_changed.connect
def _join_request(_sender: Any, membership: Any, actor: Any, change: str, **_kwargs: Any) -> None:
    """A request to join a private community: its coordinators are told (in-app, and live
    through notification_created); the decision is told to the person who asked."""
    if change not in ("requested", "approved", "rejected"):
        return
    community = db.session.get(Community, membership.community_id)
    if community is None:
        return
    if change == "requested":
        coordinators = [
            m.user for m in community_queries.leaders(community) if m.role == "coordinator"
        ]
        notify_many(
            coordinators,
            "join_request",
            _l("%(name)s asks to join %(community)s", name=actor.name, community=community.name),
            community_queries.members_url(community) + "#requests",
            actor=actor,
            community_id=community.id,
            dedup_key=f"join:{community.id}:{membership.user_id}",
        )
    elif change in ("approved", "rejected") and actor is not None:
        person = db.session.get(User, membership.user_id)
        if person is None or actor.id == person.id:
            return  # an invite link approved it: nobody to tell
        title = (
            _l("Your request to join %(community)s was approved", community=community.name)
            if change == "approved"
            else _l("Your request to join %(community)s was declined", community=community.name)
        )
        notify_many(
            [person],
            "join_decision",
            title,
            community_queries.home_url(community),
            actor=actor,
            community_id=community.id,
        )
