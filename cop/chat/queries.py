"""Reading channels, messages and unread counts."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, bindparam, func, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.engine import Connection
from sqlalchemy.orm import contains_eager, joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from cop.auth.models import User
from cop.auth.services import STANDING_CONDITIONS, Standing, standing_params
from cop.chat.models import Channel, ChannelRead, Message
from cop.communities.models import Community, Membership
from cop.core.db import detached
from cop.core.permissions import prime_membership
from cop.extensions import db

#: most messages one history call or catch-up returns
MAX_BATCH = 200


#: the one 404 message for a channel that does not exist or that the caller may not see
CHANNEL_UNKNOWN = _l("That channel does not exist.")


def channel(channel_id: int) -> Channel | None:
    """A channel with its community loaded, or None."""
    return db.session.scalar(
        select(Channel).where(Channel.id == channel_id).options(joinedload(Channel.community))
    )


#: built once (every chat event runs it): channel, community, the user's membership
_CHANNEL_FOR = (
    select(Channel, Membership)
    .join(Channel.community)
    .outerjoin(
        Membership,
        and_(
            Membership.community_id == Channel.community_id,
            Membership.user_id == bindparam("user_id"),
        ),
    )
    .where(Channel.id == bindparam("channel_id"))
    .options(contains_eager(Channel.community))
)


def channel_for(user: User, channel_id: int) -> Channel | None:
    """A channel with its community, and the user's membership there primed for the
    policy: one round trip for what every chat event needs."""
    row = db.session.execute(_CHANNEL_FOR, {"channel_id": channel_id, "user_id": user.id}).first()
    if row is None:
        return None
    channel, membership = row
    prime_membership(user, channel.community_id, membership)
    return channel


_USERS = User.__table__
_CHANNELS = Channel.__table__
_COMMUNITIES = Community.__table__
_MEMBERSHIPS = Membership.__table__


def _columns(model: Any) -> tuple[Any, list[str], list[Any], int]:
    """The model, the attribute and the column of each of its column attributes, and
    the position of its primary key among them."""
    mapper = sa_inspect(model)
    columns = [attr.columns[0] for attr in mapper.column_attrs]
    keys = [attr.key for attr in mapper.column_attrs]
    return model, keys, columns, columns.index(mapper.primary_key[0])


_LOADED = [_columns(model) for model in (Channel, Community, Membership)]
#: built once per kind of credential (API token, session): see channel_to_send
_TO_SEND = {
    kind: select(
        _USERS.c.active,
        _USERS.c.is_admin,
        *(column for _model, _keys, columns, _pk in _LOADED for column in columns),
    )
    .select_from(
        _CHANNELS.join(_COMMUNITIES, _COMMUNITIES.c.id == _CHANNELS.c.community_id)
        .join(_USERS, and_(_USERS.c.id == bindparam("user_id"), condition))
        .outerjoin(
            _MEMBERSHIPS,
            and_(
                _MEMBERSHIPS.c.community_id == _CHANNELS.c.community_id,
                _MEMBERSHIPS.c.user_id == bindparam("user_id"),
            ),
        )
    )
    .where(_CHANNELS.c.id == bindparam("channel_id"))
    # PostgreSQL: the channel row's lock for the insert that follows (one round trip
    # less); SQLite's BEGIN IMMEDIATE holds the write lock already
    .with_for_update(of=_CHANNELS)
    for kind, condition in STANDING_CONDITIONS.items()
}


def channel_to_send(
    connection: Connection, user: User, channel_id: int, kind: str, credential: str
) -> tuple[Standing, Channel] | None:
    """The send fast path's one query (cop/chat/fastsend.py): whether the user still
    stands (``kind`` "token" or "session" as in ``auth.services.standing``) and the
    channel with its community, the user's membership primed for the policy. On
    PostgreSQL it also locks the channel row (``insert_message(..., locked=True)``).

    Runs on a Core connection without the Session; the objects come back detached
    (an attribute that was not loaded raises instead of reading as None). None when
    the channel does not exist or the credential no longer holds.
    """
    params = standing_params(kind, credential)
    if params is None:
        return None
    row = connection.execute(
        _TO_SEND[kind], {**params, "user_id": user.id, "channel_id": channel_id}
    ).first()
    if row is None:
        return None
    objects: list[Any] = []
    at = 2
    for model, keys, _cols, pk in _LOADED:
        values = row[at : at + len(keys)]
        at += len(keys)
        if values[pk] is None:  # no membership row
            objects.append(None)
            continue
        objects.append(detached(model, dict(zip(keys, values, strict=True))))
    channel, community, membership = objects
    set_committed_value(channel, "community", community)
    prime_membership(user, channel.community_id, membership)
    return Standing(active=bool(row[0]), is_admin=bool(row[1])), channel


def channels_of(community_id: int) -> list[Channel]:
    """The community's channels: the general one first, then by name."""
    return list(
        db.session.scalars(
            select(Channel)
            .where(Channel.community_id == community_id)
            .order_by((Channel.kind != "general"), Channel.name, Channel.id)
        )
    )


def message(message_id: int) -> Message | None:
    """A message with its channel and community, or None."""
    return db.session.scalar(
        select(Message)
        .where(Message.id == message_id)
        .options(selectinload(Message.channel).selectinload(Channel.community))
    )


def _with_authors(stmt: Any) -> Any:
    """Authors, and the quoted message with its author, in two more queries per batch."""
    return stmt.options(
        selectinload(Message.author),
        selectinload(Message.reply_to).selectinload(Message.author),
        selectinload(Message.attachments),
    )


def messages_after(channel_id: int, after_id: int, limit: int = MAX_BATCH) -> list[Message]:
    """Messages with id > after_id, oldest first (catch-up after a reconnect)."""
    stmt = (
        select(Message)
        .where(Message.channel_id == channel_id, Message.id > after_id)
        .order_by(Message.id)
        .limit(limit)
    )
    return list(db.session.scalars(_with_authors(stmt)))


def messages_before(
    channel_id: int, before_id: int | None, limit: int = MAX_BATCH
) -> list[Message]:
    """The ``limit`` messages before ``before_id`` (or the latest), oldest first."""
    stmt = select(Message).where(Message.channel_id == channel_id)
    if before_id is not None:
        stmt = stmt.where(Message.id < before_id)
    stmt = stmt.order_by(Message.id.desc()).limit(limit)
    return list(reversed(list(db.session.scalars(_with_authors(stmt)))))


def find_by_client_id(author_id: int, client_id: str) -> Message | None:
    """The author's message sent with ``client_id`` (idempotent resends)."""
    return db.session.scalar(
        select(Message)
        .where(Message.author_id == author_id, Message.client_id == client_id)
        .options(
            joinedload(Message.author),
            selectinload(Message.reply_to).selectinload(Message.author),
            selectinload(Message.attachments),
        )
    )


def _unread(user_id: Any) -> Any:
    """Others' live messages after the user's read marker (the one unread rule);
    ``user_id`` is an id or a ``bindparam`` (a statement built once)."""
    read = ChannelRead
    return (
        select(Message.channel_id, Message.id)
        .outerjoin(read, and_(read.channel_id == Message.channel_id, read.user_id == user_id))
        .where(
            Message.id > func.coalesce(read.last_read_id, 0),
            Message.deleted_at.is_(None),
            (Message.author_id != user_id) | Message.author_id.is_(None),
        )
    )


def unread_counts(user_id: int, channel_ids: list[int]) -> dict[int, int]:
    """Unread messages per channel for ``user_id``: others' live messages after the marker."""
    if not channel_ids:
        return {}
    unread = _unread(user_id).where(Message.channel_id.in_(channel_ids)).subquery()
    rows = db.session.execute(
        select(unread.c.channel_id, func.count()).group_by(unread.c.channel_id)
    )
    return {channel_id: count for channel_id, count in rows}


#: the header shows at most this many unread chat messages ("99+")
UNREAD_CAP = 99


def _unread_total_statement() -> Any:
    user_id: Any = bindparam("user_id")
    active = select(Membership.community_id).where(
        Membership.user_id == user_id, Membership.status == "active"
    )
    capped = (
        _unread(user_id)
        .join(Channel, Channel.id == Message.channel_id)
        .where(Channel.community_id.in_(active))
        .limit(UNREAD_CAP + 1)
        .subquery()
    )
    return select(func.count()).select_from(capped)


#: built once: the header asks it on every page (building it took 5x running it)
_UNREAD_TOTAL = _unread_total_statement()


def unread_total(user_id: int) -> int:
    """Unread chat messages over all the user's channels, counted up to UNREAD_CAP + 1
    (one bounded query for the header, however far behind the user is)."""
    return int(db.session.scalar(_UNREAD_TOTAL, {"user_id": user_id}) or 0)


def channels_of_user(user_id: int) -> list[Channel]:
    """Every channel of the communities where the user is an active member, with the
    community loaded: by community name, the general channel first, then by name."""
    return list(
        db.session.scalars(
            select(Channel)
            .join(Channel.community)
            .join(
                Membership,
                and_(
                    Membership.community_id == Channel.community_id, Membership.user_id == user_id
                ),
            )
            .where(Membership.status == "active")
            .options(contains_eager(Channel.community))
            .order_by(Community.name, Channel.kind != "general", Channel.name, Channel.id)
        )
    )


def last_read(user_id: int, channel_id: int) -> int:
    """The id of the last message the user has read in the channel (0 for none)."""
    value = db.session.scalar(
        select(ChannelRead.last_read_id).where(
            ChannelRead.user_id == user_id, ChannelRead.channel_id == channel_id
        )
    )
    return int(value or 0)


def reply_target(channel_id: int, message_id: int) -> Message | None:
    """The message a reply in ``channel_id`` may quote: one of the same channel, not
    deleted, with its author; None otherwise."""
    return db.session.scalar(
        select(Message)
        .where(
            Message.id == message_id,
            Message.channel_id == channel_id,
            Message.deleted_at.is_(None),
        )
        .options(joinedload(Message.author))
    )
