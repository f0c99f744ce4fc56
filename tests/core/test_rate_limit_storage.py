"""With Redis configured, rate limits are shared by every server process."""

import uuid

from tests.conftest import csrf_token, make_app


def test_login_limit_counts_across_processes_through_redis(database_template, tmp_path, redis_url):
    settings = {
        # Only the limiter's storage: with REDIS_URL the in-process Socket.IO
        # manager would start a Redis listener thread that outlives the test.
        "RATELIMIT_STORAGE_URI": redis_url,
        "LOGIN_RATE_LIMIT": "3 per minute",
    }
    # Limits are keyed by client address: a fresh (documentation-range) address
    # keeps other runs sharing this Redis from counting here.
    address = f"2001:db8::{uuid.uuid4().hex[:4]}:{uuid.uuid4().hex[:4]}"
    first = make_app(database_template, tmp_path, **settings)
    second = make_app(database_template, tmp_path, **settings)
    assert first.config["RATELIMIT_STORAGE_URI"] == redis_url

    def fail_login(app):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = address
        data = {
            "email": "nobody@example.id",
            "password": "salah-sekali-123",
            "csrf_token": csrf_token(client),
        }
        return client.post("/auth/login", data=data).status_code

    statuses = [fail_login(first), fail_login(second), fail_login(first), fail_login(second)]
    assert statuses == [200, 200, 200, 429]


def test_without_redis_limits_stay_in_memory(app):
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"
