"""Staff login: lockout by username and address, a limit per address, optional TOTP, sessions and passwords."""

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"
HERE, ELSEWHERE = "203.0.113.7", "198.51.100.9"


@pytest.fixture
def editor():
    return User.objects.create_user("editor", password=PASSWORD, is_staff=True)


def log_in(client, username="editor", password=PASSWORD, address=HERE, **fields):
    data = {"username": username, "password": password, "next": "/admin/", **fields}
    return client.post("/admin/login/?next=/admin/", data, REMOTE_ADDR=address)


def code_for(device):
    """The six digits the user's authenticator app shows now."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_right_password_logs_in(client, editor):
    """A staff user without two-factor login gets in with username and password alone."""
    assert log_in(client).status_code == 302
    assert client.get("/admin/", REMOTE_ADDR=HERE).status_code == 200


def test_five_failures_lock_the_username_at_that_address(client, editor):
    """After five wrong passwords even the right one is refused there: 429, Retry-After, a clear message."""
    assert [log_in(client, password="wrong").status_code for _ in range(5)] == [200] * 4 + [429]
    response = log_in(client)
    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    assert "Too many failed logins. Please wait 15 minutes" in response.content.decode()


def test_lockout_does_not_shut_the_editor_out_elsewhere(client, editor):
    """An attacker's failures lock only their address: the editor still logs in from another."""
    for _ in range(6):
        log_in(client, password="wrong")
    assert log_in(Client(), address=ELSEWHERE).status_code == 302


def test_lockout_ends_with_axes_reset(client, editor):
    """`dateline axes_reset` lifts every lockout."""
    for _ in range(5):
        log_in(client, password="wrong")
    call_command("axes_reset", stdout=io.StringIO())
    assert log_in(client).status_code == 302


def test_failures_from_one_address_are_limited_whatever_the_usernames(client, editor, settings):
    """LOGIN_RATE_PER_IP stops password spraying: many usernames, one address."""
    settings.LOGIN_RATE_PER_IP = "3/m"
    for name in ("alice", "bob", "carol"):
        log_in(client, username=name, password="wrong")
    response = log_in(client)
    assert response.status_code == 429
    assert int(response["Retry-After"]) <= 60
    assert log_in(Client(), address=ELSEWHERE).status_code == 302


@pytest.fixture
def device(editor):
    return TOTPDevice.objects.create(user=editor, name="authenticator", confirmed=True)


def test_user_with_a_device_must_give_its_code(client, device):
    """The right password without the code is refused when the user has set up two-factor login."""
    response = log_in(client)
    assert response.status_code == 200
    assert "The authentication code is missing or wrong." in response.content.decode()
    assert client.get("/admin/", REMOTE_ADDR=HERE).status_code == 302


def test_right_code_logs_in(client, device):
    """Password and the app's current code let the user in."""
    assert log_in(client, otp_token=code_for(device)).status_code == 302
    assert client.get("/admin/", REMOTE_ADDR=HERE).status_code == 200


def test_wrong_code_is_refused(client, device):
    """A wrong code is refused like a wrong password."""
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    assert log_in(client, otp_token=wrong).status_code == 200
    assert client.get("/admin/", REMOTE_ADDR=HERE).status_code == 302


def test_wrong_codes_count_towards_the_lockout(client, device):
    """Guessing codes with a stolen password locks the username at that address like wrong passwords do."""
    statuses = [log_in(client, otp_token="000000x").status_code for _ in range(5)]
    assert statuses == [200] * 4 + [429]
    assert log_in(client, otp_token=code_for(device)).status_code == 429


def test_session_without_the_second_factor_is_not_let_in(client, device):
    """A session that skipped the code (logged in some other way) cannot use the admin."""
    client.force_login(device.user)
    assert client.get("/admin/").status_code == 302


def test_otp_add_sets_up_a_device_confirmed_by_a_code(editor, monkeypatch):
    """`dateline otp add` prints the otpauth:// URI and keeps the key once the app's code matches."""
    monkeypatch.setattr("builtins.input", lambda prompt: code_for(TOTPDevice.objects.get(user=editor)))
    out = io.StringIO()
    call_command("otp", "add", "editor", stdout=out)
    assert "otpauth://totp/" in out.getvalue()
    assert TOTPDevice.objects.get(user=editor).confirmed


def test_otp_add_with_a_wrong_code_keeps_nothing(editor, monkeypatch):
    """A code that does not match leaves the user without a device."""
    monkeypatch.setattr("builtins.input", lambda prompt: "000000x")
    with pytest.raises(CommandError, match="does not match"):
        call_command("otp", "add", "editor", stdout=io.StringIO())
    assert not TOTPDevice.objects.exists()


def test_otp_remove_turns_two_factor_login_off(client, device):
    """`dateline otp remove` deletes the user's device: the password alone works again."""
    call_command("otp", "remove", "editor", stdout=io.StringIO())
    assert log_in(client).status_code == 302


def test_logout_ends_the_session(client, editor):
    """After logging out the admin asks for a login again."""
    log_in(client)
    client.post("/admin/logout/", REMOTE_ADDR=HERE)
    assert client.get("/admin/", REMOTE_ADDR=HERE).status_code == 302


def test_password_change_ends_the_other_sessions(editor):
    """Changing the password keeps the session that changed it and ends every other one."""
    here, there = Client(), Client()
    here.force_login(editor)
    there.force_login(editor)
    new = "a new long passphrase 7"
    response = here.post(
        "/admin/password_change/", {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    assert here.get("/admin/").status_code == 200
    assert there.get("/admin/").status_code == 302


def test_passwords_are_hashed_with_argon2(editor):
    """New passwords are stored as Argon2 hashes."""
    assert editor.password.startswith("argon2")


def test_weak_password_is_refused_in_the_admin(admin_client):
    """The admin's add-user form applies the password validators."""
    response = admin_client.post(
        "/admin/auth/user/add/",
        {"username": "newbie", "usable_password": "true", "password1": "password", "password2": "password"},
    )
    assert response.status_code == 200
    assert "This password is too common." in response.content.decode()
    assert not User.objects.filter(username="newbie").exists()
