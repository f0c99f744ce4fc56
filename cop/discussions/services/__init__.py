"""Discussion operations: topics, replies, edits, reactions, solutions, reads,
subscriptions, drafts, flags and moderation.

Each takes the acting user explicitly, asks the permissions policy, owns its
transaction and keeps the counters in step. What it causes elsewhere (the search
index, mentioned members and watchers notified, moderators told of flags) goes
through the discussion signals of ``cop.signals``, sent after the commit.

The work is split by subject (``topics``, ``posts``, ``reactions``,
``reading``, ``moderation``; shared lookups and checks in ``_common``).
Callers use this package: ``from cop.discussions import services``, then
``services.reply(...)``.
"""

from cop.discussions.services._common import (
    CLIENT_TOKEN_RE,
    TAG_RE,
    clean_body,
    clean_client_token,
    clean_tags,
    clean_title,
    get_post,
    get_topic,
    plain_text,
    preview,
    visible_post,
    visible_topic,
)
from cop.discussions.services.moderation import (
    flag_post,
    get_flag,
    move_topic,
    resolve_flag,
    set_hidden,
    set_topic_state,
)
from cop.discussions.services.posts import (
    account_is_new,
    delete_post,
    edit_post,
    reply,
    revisions,
)
from cop.discussions.services.reactions import mark_solution, my_reactions, react
from cop.discussions.services.reading import (
    draft_of,
    mark_read,
    save_draft,
    subscribe,
    subscription_of,
)
from cop.discussions.services.topics import TopicData, create_topic

__all__ = [
    "CLIENT_TOKEN_RE",
    "TAG_RE",
    "TopicData",
    "account_is_new",
    "clean_body",
    "clean_client_token",
    "clean_tags",
    "clean_title",
    "create_topic",
    "delete_post",
    "draft_of",
    "edit_post",
    "flag_post",
    "get_flag",
    "get_post",
    "get_topic",
    "mark_read",
    "mark_solution",
    "move_topic",
    "my_reactions",
    "plain_text",
    "preview",
    "react",
    "reply",
    "resolve_flag",
    "revisions",
    "save_draft",
    "set_hidden",
    "set_topic_state",
    "subscribe",
    "subscription_of",
    "visible_post",
    "visible_topic",
]
