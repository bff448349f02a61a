"""Outgoing mail (invitations) over SMTP, when a server is configured; the caller writes the message."""

import asyncio
import smtplib
from email.message import EmailMessage

import structlog

from shared.config import Settings

log = structlog.get_logger(__name__)


def mail_configured(settings: Settings) -> bool:
    return bool(settings.smtp_host)


def _send(settings: Settings, message: EmailMessage) -> None:
    assert settings.smtp_host
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=10) as smtp:
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_username and settings.smtp_password:
            smtp.login(settings.smtp_username, settings.smtp_password.get_secret_value())
        smtp.send_message(message)


async def send_mail(settings: Settings, *, to: str, subject: str, body: str) -> bool:
    """Send one plain-text message; False (logged, never raised) when no server is set or sending failed,
    so the person who asked can still pass the link on themselves."""
    if not mail_configured(settings):
        return False
    message = EmailMessage()
    message["From"] = settings.smtp_from
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    try:
        await asyncio.to_thread(_send, settings, message)
    except (OSError, smtplib.SMTPException) as exc:
        log.warning("mail not sent", error=type(exc).__name__)
        return False
    return True
