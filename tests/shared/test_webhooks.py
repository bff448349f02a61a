"""Standard Webhooks signing and verification: round trip, rotation, replay window, package interop."""

import base64
import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from shared.errors import BadSignature
from shared.webhooks import generate_secret, sign_headers, verify

BODY = json.dumps({"type": "commitment.progress_reported", "data": {"jobs_created": 12}}).encode()
MSG_ID = "msg_2Zq7x"


@pytest.fixture
def now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def test_generate_secret_shape():
    secret = generate_secret()
    assert secret.startswith("whsec_")
    assert len(base64.b64decode(secret.removeprefix("whsec_"), validate=True)) == 32
    assert generate_secret() != secret


def test_round_trip(now):
    secret = generate_secret()
    headers = sign_headers([secret], MSG_ID, now, BODY)
    assert headers["webhook-id"] == MSG_ID
    assert headers["webhook-timestamp"] == str(int(now.timestamp()))
    assert headers["webhook-signature"].startswith("v1,")
    verify([secret], headers, BODY, now=now)


def test_headers_are_case_insensitive(now):
    secret = generate_secret()
    headers = {k.upper(): v for k, v in sign_headers([secret], MSG_ID, now, BODY).items()}
    verify([secret], headers, BODY, now=now)


def test_rotation_signs_with_every_secret(now):
    old, new = generate_secret(), generate_secret()
    headers = sign_headers([old, new], MSG_ID, now, BODY)
    assert len(headers["webhook-signature"].split(" ")) == 2
    verify([old], headers, BODY, now=now)  # a receiver still on the old secret
    verify([new], headers, BODY, now=now)  # a receiver already on the new one


def test_receiver_accepting_two_secrets(now):
    old, new = generate_secret(), generate_secret()
    headers = sign_headers([old], MSG_ID, now, BODY)
    verify([new, old], headers, BODY, now=now)


def test_wrong_secret_rejected(now):
    headers = sign_headers([generate_secret()], MSG_ID, now, BODY)
    with pytest.raises(BadSignature, match="no matching"):
        verify([generate_secret()], headers, BODY, now=now)


def test_tampered_body(now):
    secret = generate_secret()
    headers = sign_headers([secret], MSG_ID, now, BODY)
    with pytest.raises(BadSignature, match="no matching"):
        verify([secret], headers, BODY.replace(b"12", b"13"), now=now)


def test_tampered_id(now):
    secret = generate_secret()
    headers = sign_headers([secret], MSG_ID, now, BODY)
    headers["webhook-id"] = "msg_other"
    with pytest.raises(BadSignature):
        verify([secret], headers, BODY, now=now)


def test_stale_timestamp(now):
    secret = generate_secret()
    headers = sign_headers([secret], MSG_ID, now - timedelta(minutes=6), BODY)
    with pytest.raises(BadSignature, match="too old"):
        verify([secret], headers, BODY, now=now)


def test_future_timestamp(now):
    secret = generate_secret()
    headers = sign_headers([secret], MSG_ID, now + timedelta(minutes=6), BODY)
    with pytest.raises(BadSignature, match="too new"):
        verify([secret], headers, BODY, now=now)


def test_within_tolerance_and_custom_tolerance(now):
    secret = generate_secret()
    headers = sign_headers([secret], MSG_ID, now - timedelta(minutes=4), BODY)
    verify([secret], headers, BODY, now=now)
    with pytest.raises(BadSignature, match="too old"):
        verify([secret], headers, BODY, now=now, tolerance=timedelta(minutes=1))


def test_timestamp_cannot_be_moved_after_signing(now):
    secret = generate_secret()
    headers = sign_headers([secret], MSG_ID, now - timedelta(hours=1), BODY)
    headers["webhook-timestamp"] = str(int(now.timestamp()))
    with pytest.raises(BadSignature, match="no matching"):
        verify([secret], headers, BODY, now=now)


@pytest.mark.parametrize("missing", ["webhook-id", "webhook-timestamp", "webhook-signature"])
def test_missing_headers(now, missing):
    secret = generate_secret()
    headers = sign_headers([secret], MSG_ID, now, BODY)
    del headers[missing]
    with pytest.raises(BadSignature, match=f"missing webhook header.*{missing}"):
        verify([secret], headers, BODY, now=now)


@pytest.mark.parametrize("value", ["", "abc", "-5", "1.5e9", "99999999999999999999"])
def test_malformed_timestamp(now, value):
    secret = generate_secret()
    headers = sign_headers([secret], MSG_ID, now, BODY)
    headers["webhook-timestamp"] = value
    with pytest.raises(BadSignature):
        verify([secret], headers, BODY, now=now)


@pytest.mark.parametrize("signature", ["garbage", "v1", "v1,@@@not-base64@@@", "v2,abcd", "v1a,abcd"])
def test_malformed_signature_header(now, signature):
    secret = generate_secret()
    headers = sign_headers([secret], MSG_ID, now, BODY)
    headers["webhook-signature"] = signature
    with pytest.raises(BadSignature):
        verify([secret], headers, BODY, now=now)


def test_junk_entries_do_not_hide_a_valid_signature(now):
    secret = generate_secret()
    headers = sign_headers([secret], MSG_ID, now, BODY)
    headers["webhook-signature"] = "v2,xyz garbage " + headers["webhook-signature"]
    verify([secret], headers, BODY, now=now)


def test_non_utf8_body_rejected(now):
    secret = generate_secret()
    headers = sign_headers([secret], MSG_ID, now, BODY)
    with pytest.raises(BadSignature):
        verify([secret], headers, b"\xff\xfe", now=now)


def test_bad_configuration_is_not_a_bad_signature(now):
    with pytest.raises(ValueError):
        sign_headers([], MSG_ID, now, BODY)
    with pytest.raises(ValueError):
        verify([], {}, BODY, now=now)
    with pytest.raises(ValueError):
        sign_headers(["whsec_"], MSG_ID, now, BODY)
    with pytest.raises(TypeError):
        sign_headers(generate_secret(), MSG_ID, now, BODY)


def test_non_utc_timestamp_is_converted():
    secret = generate_secret()
    moment = datetime.now(UTC).replace(microsecond=0)
    local = moment.astimezone(timezone(timedelta(hours=-6)))
    headers = sign_headers([secret], MSG_ID, local, BODY)
    assert headers["webhook-timestamp"] == str(int(moment.timestamp()))
    verify([secret], headers, BODY, now=moment)


def test_interop_ours_verified_by_package():
    secret = generate_secret()
    headers = sign_headers([secret], MSG_ID, datetime.now(UTC), BODY)
    assert Webhook(secret).verify(BODY, headers) == json.loads(BODY)


def test_interop_rotation_verified_by_package():
    old, new = generate_secret(), generate_secret()
    headers = sign_headers([new, old], MSG_ID, datetime.now(UTC), BODY)
    Webhook(old).verify(BODY, headers)
    Webhook(new).verify(BODY, headers)


def test_interop_package_rejects_our_tampered_message():
    secret = generate_secret()
    headers = sign_headers([secret], MSG_ID, datetime.now(UTC), BODY)
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(BODY + b" ", headers)


def test_interop_package_signature_verified_by_us():
    secret = generate_secret()
    sent_at = datetime.now(UTC)
    signature = Webhook(secret).sign(MSG_ID, sent_at, BODY.decode())
    headers = {
        "webhook-id": MSG_ID,
        "webhook-timestamp": str(int(sent_at.timestamp())),
        "webhook-signature": signature,
    }
    verify([secret], headers, BODY)


def test_interop_unprefixed_secret():
    raw = base64.b64encode(b"k" * 32).decode()
    sent_at = datetime.now(UTC)
    headers = sign_headers([raw], MSG_ID, sent_at, BODY)
    Webhook("whsec_" + raw).verify(BODY, headers)
    verify(["whsec_" + raw], headers, BODY)


def test_rotation_keeps_the_previous_secret_live_for_the_overlap_only() -> None:
    from types import SimpleNamespace

    from shared.webhooks import live_secrets, rotate

    now = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    holder = SimpleNamespace(secret="whsec_b2xk", previous_secret=None, previous_secret_expires_at=None)
    new = rotate(holder, overlap=timedelta(hours=24), now=now)  # type: ignore[arg-type]
    assert new.startswith("whsec_") and new != "whsec_b2xk"
    assert live_secrets(holder, now + timedelta(hours=23)) == [new, "whsec_b2xk"]  # type: ignore[arg-type]
    assert live_secrets(holder, now + timedelta(hours=24)) == [new]  # type: ignore[arg-type]
    rotate(holder, overlap=timedelta(0), now=now)  # type: ignore[arg-type]
    assert holder.previous_secret is None and live_secrets(holder, now) == [holder.secret]  # type: ignore[arg-type]
