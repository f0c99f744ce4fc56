"""API: topics, posts, reactions and solutions (search is in ``cop.api.search``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import request
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l

from cop.api.openapi import documented
from cop.api.schemas import DATE_TIME, NULLABLE_DATE_TIME, add_schemas, list_of, obj
from cop.api.views import ID, Body, bp, cursor_arg, list_json
from cop.auth.models import User
from cop.communities import services as community_services
from cop.core.pagination import Page, parse_limit
from cop.core.ratelimit import per_account_and_ip
from cop.core.web import current, viewer
from cop.discussions import queries, services
from cop.discussions.models import MAX_BODY, MAX_TAGS, MAX_TITLE, REACTION_KINDS
from cop.discussions.ratelimit import posting_limit
from cop.discussions.serializers import (
    post_json,
    reactions_json,
    topic_json,
    topic_with_first_post_json,
)

T = TypeVar("T")
K = TypeVar("K", int, str)
F = TypeVar("F", bound=Callable[..., Any])

add_schemas(
    {
        "PostAuthor": obj(
            {"id": {"type": ["integer", "null"]}, "name": {"type": "string"}},
            description="null id: the account was removed.",
        ),
        "Post": obj(
            {
                "id": {"type": "integer"},
                "topic_id": {"type": "integer"},
                "parent_id": {"type": ["integer", "null"]},
                "author": {"$ref": "#/components/schemas/PostAuthor"},
                "body": {
                    "type": "string",
                    "description": "Markdown source; empty when deleted or hidden.",
                },
                "html": {
                    "type": "string",
                    "description": "Sanitised HTML rendered from body (safe to insert).",
                },
                "created_at": DATE_TIME,
                "edited_at": NULLABLE_DATE_TIME,
                "deleted": {"type": "boolean"},
                "hidden": {"type": "boolean", "description": "Hidden by a moderator."},
                "reactions": obj({kind: {"type": "integer"} for kind in REACTION_KINDS}),
            }
        ),
        "PostList": list_of("Post", "Posts in the order they were written."),
        "PostCreate": {
            "type": "object",
            "required": ["body"],
            "properties": {
                "body": {"type": "string", "minLength": 1, "maxLength": MAX_BODY},
                "parent_id": {
                    "type": ["integer", "null"],
                    "description": "The post of the same topic this replies to.",
                },
                "client_token": {
                    "type": "string",
                    "pattern": "^[A-Za-z0-9_-]{8,64}$",
                    "description": "Idempotency key: a resend with the same token returns "
                    "the first post instead of making a second.",
                },
            },
        },
        "PostUpdate": {
            "type": "object",
            "required": ["body"],
            "properties": {"body": {"type": "string", "minLength": 1, "maxLength": MAX_BODY}},
        },
        "Topic": obj(
            {
                "id": {"type": "integer"},
                "community": {"type": "string", "description": "The community's slug."},
                "title": {"type": "string"},
                "tags": {"type": "array", "items": {"type": "string"}},
                "pinned": {"type": "boolean"},
                "locked": {"type": "boolean"},
                "solution_post_id": {"type": ["integer", "null"]},
                "post_count": {"type": "integer"},
                "created_at": DATE_TIME,
                "last_post_at": DATE_TIME,
                "author": {"$ref": "#/components/schemas/PostAuthor"},
                "first_post": {"anyOf": [{"$ref": "#/components/schemas/Post"}, {"type": "null"}]},
            }
        ),
        "TopicList": list_of(
            "Topic", "Pinned topics first (on the first page), then newest activity first."
        ),
        "TopicCreate": {
            "type": "object",
            "required": ["title", "body"],
            "properties": {
                "title": {"type": "string", "minLength": 3, "maxLength": MAX_TITLE},
                "body": {"type": "string", "minLength": 1, "maxLength": MAX_BODY},
                "tags": {
                    "type": "array",
                    "maxItems": MAX_TAGS,
                    "items": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]{0,29}$"},
                },
                "client_token": {"type": "string", "pattern": "^[A-Za-z0-9_-]{8,64}$"},
            },
        },
        "ReactionCreate": {
            "type": "object",
            "required": ["kind"],
            "properties": {
                "kind": {"type": "string", "enum": list(REACTION_KINDS)},
                "active": {
                    "type": "boolean",
                    "default": True,
                    "description": "false takes the reaction back.",
                },
            },
        },
        "Reactions": obj(
            {
                "post_id": {"type": "integer"},
                "reactions": obj({kind: {"type": "integer"} for kind in REACTION_KINDS}),
                "mine": {
                    "type": "array",
                    "items": {"type": "string", "enum": list(REACTION_KINDS)},
                },
            }
        ),
        "SolutionSet": {
            "type": "object",
            "required": ["post_id"],
            "properties": {
                "post_id": {"type": ["integer", "null"], "description": "null clears it."}
            },
        },
    }
)


def _write_request(find: Callable[[User, K, str], T], key: K, action: str) -> tuple[User, T, Body]:
    """A write to one thing: the caller (401), the thing ``find`` returns if they may
    ``action`` it (404, 403), the JSON body (400), checked in that order.

    ``find`` is one of the shared lookups: ``visible_community`` (by slug),
    ``visible_topic``, ``visible_post`` (by id).
    """
    user = current()
    return user, find(user, key, action), Body.from_request()


def _write_doc(
    summary: str, body: str, response: str, *, conflict: bool = False, **details: Any
) -> Callable[[F], F]:
    """The OpenAPI entry of a write made through ``_write_request``: its errors are
    that lookup's 403 and 404 (and 409 when the service may refuse with a conflict)."""
    errors = (403, 404, 409) if conflict else (403, 404)
    return documented(
        summary, tag="discussions", body=body, response=response, errors=errors, **details
    )


def _list_doc(summary: str, response: str) -> Callable[[F], F]:
    """The OpenAPI entry of a keyset-paged list anyone who may see it can read (a bad
    cursor or limit is a 400)."""
    return documented(
        summary,
        tag="discussions",
        response=response,
        errors=(400, 404),
        auth="optional",
        query=("limit", "cursor"),
    )


def _optional(body: Body, name: str, valid: Callable[[Any], bool], problem: Any) -> Any:
    """``body[name]`` when absent or null (None) or ``valid``; else None, noting ``problem``."""
    value = body.data.get(name)
    if value is None or valid(value):
        return value
    body.errors[name] = problem
    return None


def _is_word_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(t, str) for t in value)


def _tags(body: Body) -> list[str] | None:
    """The optional ``tags`` list of words."""
    return _optional(body, "tags", _is_word_list, _l("Must be a list of words."))


@bp.get("/communities/<slug>/topics")
@_list_doc("The community's topics", "TopicList")
def list_topics(slug: str) -> ResponseReturnValue:
    """Pinned first, then newest activity first (keyset-paged)."""
    community = community_services.visible_community(viewer(), slug, "community.view_content")
    cursor = cursor_arg()
    page = queries.topics(community, cursor=cursor, limit=parse_limit(request.args.get("limit")))
    if cursor is None:
        page = Page(
            items=queries.pinned_topics(community) + page.items, next_cursor=page.next_cursor
        )
    return list_json(page, topic_json)


@bp.post("/communities/<slug>/topics")
@_write_doc("Start a topic", "TopicCreate", "Topic", conflict=True, status=201, rate_limited=True)
@posting_limit
def create_topic(slug: str) -> ResponseReturnValue:
    """Create a topic with its first post (members)."""
    user, community, body = _write_request(
        community_services.visible_community, slug, "community.participate"
    )
    data = services.TopicData(
        title=body.required("title"),
        body=body.required("body"),
        tags=_tags(body),
        client_token=body.text("client_token"),
    )
    body.done()
    topic = services.create_topic(user, community, data)
    return topic_with_first_post_json(topic), 201


@bp.get(f"/topics/<{ID}:topic_id>")
@documented("One topic", tag="discussions", response="Topic", errors=(404,), auth="optional")
def show_topic(topic_id: int) -> ResponseReturnValue:
    """The topic with its first post."""
    topic = services.visible_topic(viewer(), topic_id)
    return topic_with_first_post_json(topic)


@bp.get(f"/topics/<{ID}:topic_id>/posts")
@_list_doc("The topic's posts", "PostList")
def list_posts(topic_id: int) -> ResponseReturnValue:
    """Posts in order, keyset-paged."""
    topic = services.visible_topic(viewer(), topic_id)
    page = queries.posts(topic, cursor=cursor_arg(), limit=parse_limit(request.args.get("limit")))
    return list_json(page, post_json)


@bp.post(f"/topics/<{ID}:topic_id>/posts")
@_write_doc("Reply in a topic", "PostCreate", "Post", conflict=True, status=201, rate_limited=True)
@posting_limit
def create_post(topic_id: int) -> ResponseReturnValue:
    """Add a post (optionally in reply to another post of the topic)."""
    user, topic, body = _write_request(services.visible_topic, topic_id, "topic.reply")
    text = body.required("body")
    parent_id = body.optional_id("parent_id", _l("Must be a post id."))
    token = body.text("client_token")
    body.done()
    post = services.reply(user, topic, text, parent_id=parent_id, client_token=token)
    return post_json(post), 201


@bp.patch(f"/posts/<{ID}:post_id>")
@_write_doc(
    "Edit your post (the earlier text is kept; moderators may not edit others' posts)",
    "PostUpdate",
    "Post",
    rate_limited=True,
)
@per_account_and_ip("post_edit", "EDIT_RATE_LIMIT", methods=("PATCH",))
def update_post(post_id: int) -> ResponseReturnValue:
    """The author changes their post (moderators hide or delete, they do not edit)."""
    user, post, body = _write_request(services.visible_post, post_id, "post.edit")
    text = body.required("body")
    body.done()
    return post_json(services.edit_post(user, post, text))


@bp.delete(f"/posts/<{ID}:post_id>")
@documented("Delete a post (soft)", tag="discussions", status=204, errors=(403, 404))
def delete_post(post_id: int) -> ResponseReturnValue:
    """The author or a moderator deletes a post; its place in the thread stays."""
    user = current()
    post = services.visible_post(user, post_id)
    services.delete_post(user, post)
    return "", 204


@bp.post(f"/posts/<{ID}:post_id>/reactions")
@_write_doc("Like or thank a post (or take it back)", "ReactionCreate", "Reactions", conflict=True)
def react(post_id: int) -> ResponseReturnValue:
    """Idempotent: the same reaction twice counts once."""
    user, post, body = _write_request(services.visible_post, post_id, "post.react")
    kind = body.required("kind")
    active = body.boolean("active", default=True)
    body.done()
    post = services.react(user, post, kind, active)
    mine = sorted(k for _p, k in services.my_reactions(user, [post.id]))
    return {
        "post_id": post.id,
        "reactions": reactions_json(post),
        "mine": mine,
    }


@bp.post(f"/topics/<{ID}:topic_id>/solution")
@_write_doc("Mark the post that solved the topic", "SolutionSet", "Topic")
def set_solution(topic_id: int) -> ResponseReturnValue:
    """The topic's author or a moderator; ``post_id: null`` clears it."""
    user, topic, body = _write_request(services.visible_topic, topic_id, "topic.solve")
    if "post_id" not in body.data:
        body.errors["post_id"] = _l("This field is required.")
    post_id = body.optional_id("post_id", _l("Must be a post id."))
    body.done()
    topic = services.mark_solution(user, topic, post_id)
    return topic_with_first_post_json(topic)
