"""API tokens: `dateline token create|revoke`, and what the API makes of a token."""

import hashlib
import io

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command

from dateline.api.models import ApiToken

pytestmark = pytest.mark.django_db


def run_token(*args):
    out = io.StringIO()
    call_command("token", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def reporter():
    user = User.objects.create_user("rana", password="unused-password-1")
    user.groups.add(Group.objects.get(name="Reporter"))
    return user


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def draft_payload():
    return {"headline": "Port reopens", "summary": "Ships are moving.", "body_html": "<p>Ships are moving.</p>"}


def test_create_prints_the_token_alone_on_the_last_line(reporter):
    """The last line of `token create` is the token and nothing else."""
    last = run_token("create", "rana").splitlines()[-1]
    assert last.startswith("dl_") and " " not in last and len(last) > 40


def test_only_a_hash_of_the_token_is_stored(reporter):
    """The database keeps the SHA-256 and a short prefix, never the token itself."""
    token = run_token("create", "rana").splitlines()[-1]
    stored = ApiToken.objects.get(user=reporter)
    assert stored.key_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token.startswith(stored.prefix) and len(stored.prefix) < 16
    assert not ApiToken.objects.filter(key_hash=token).exists() and not ApiToken.objects.filter(prefix=token).exists()


def test_created_token_works_as_a_bearer_token(client, reporter):
    """A new token lets its user write through the API."""
    token = run_token("create", "rana").splitlines()[-1]
    response = client.post("/api/v1/stories", draft_payload(), content_type="application/json", headers=bearer(token))
    assert response.status_code == 201


def test_using_a_token_records_when(client, reporter):
    """The token's last use is noted."""
    token = run_token("create", "rana").splitlines()[-1]
    client.get("/api/v1/stories", headers=bearer(token))
    assert ApiToken.objects.get(user=reporter).last_used_at is not None


def test_revoked_token_gets_401(client, reporter):
    """After `token revoke`, the token is refused with a JSON 401."""
    token = run_token("create", "rana").splitlines()[-1]
    run_token("revoke", "rana")
    response = client.post("/api/v1/stories", draft_payload(), content_type="application/json", headers=bearer(token))
    assert response.status_code == 401
    assert response.json()["detail"]
    assert response["WWW-Authenticate"] == "Bearer"


def test_revoke_revokes_all_of_the_users_tokens(reporter):
    """`token revoke USERNAME` leaves the user no working token."""
    run_token("create", "rana")
    run_token("create", "rana")
    assert "Revoked 2" in run_token("revoke", "rana")
    assert not ApiToken.objects.active().exists()


def test_revoke_with_a_prefix_spares_the_other_tokens(reporter):
    """`--prefix` revokes one token only."""
    first = run_token("create", "rana").splitlines()[-1]
    second = run_token("create", "rana").splitlines()[-1]
    run_token("revoke", "rana", "--prefix", first[:11])
    assert ApiToken.objects.find(first) is None
    assert ApiToken.objects.find(second) is not None


@pytest.mark.parametrize("action", ["create", "revoke"])
def test_unknown_user_is_a_clear_command_error(action):
    """Naming no existing user stops the command with a message that names it."""
    with pytest.raises(CommandError, match="nobody"):
        run_token(action, "nobody")


def test_inactive_user_gets_no_token(reporter):
    """A token for a deactivated account would not work, so none is made."""
    reporter.is_active = False
    reporter.save()
    with pytest.raises(CommandError, match="not an active user"):
        run_token("create", "rana")


def test_token_of_a_deactivated_user_gets_401(client, reporter):
    """Deactivating an account shuts its tokens out."""
    token = run_token("create", "rana").splitlines()[-1]
    reporter.is_active = False
    reporter.save()
    assert client.get("/api/v1/stories", headers=bearer(token)).status_code == 401


@pytest.mark.parametrize("header", ["Bearer dl_not-a-real-token", "Bearer ", "Basic cmFuYTpwYXNzd29yZA==", "dl_x"])
def test_a_wrong_authorization_header_gets_401_even_on_public_reads(client, header):
    """A bad token is refused, not quietly served as an anonymous reader."""
    response = client.get("/api/v1/stories", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.json() == {"detail": "A valid token is needed: send `Authorization: Bearer <token>`."}


def test_writing_without_a_token_gets_401(client):
    """Write endpoints need a token."""
    response = client.post("/api/v1/stories", draft_payload(), content_type="application/json")
    assert response.status_code == 401
    assert "detail" in response.json()


def test_admin_revokes_tokens_but_cannot_make_them(admin_client, reporter):
    """The admin's action revokes the chosen tokens; adding one there is not offered (it could not be shown)."""
    token, _ = ApiToken.issue(reporter)
    changelist = "/admin/api/apitoken/"
    response = admin_client.post(changelist, {"action": "revoke", "_selected_action": [token.pk]})
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert admin_client.get(changelist + "add/").status_code == 403
