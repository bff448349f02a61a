"""People to sign in to the console as, on a demo database: an admin, a coordinator, a partner officer
(at DFC) and a company user (at Highland Roast Coffee Company), all with the demo password.

The demo data is for trying Puente out; a real deployment sets PUENTE_DEMO_DATA=false and invites
its people from the console's administration pages instead.
"""

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.api.auth.passwords import hash_password
from shared.enums import Role
from shared.models import Business, Partner, User

DEMO_PASSWORD = "puente-demo-2026"  # noqa: S105 - published in the README, for demo databases only
#: (email, name, role, language, the organisation's name for scoped roles)
DEMO_PEOPLE = (
    ("admin@demo.puente.local", "Ana Administradora", Role.ADMIN, "es", None),
    ("coordinadora@demo.puente.local", "Carla Coordinadora", Role.COORDINATOR, "es", None),
    (
        "officer@demo.puente.local",
        "Owen Officer",
        Role.PARTNER,
        "en",
        "U.S. International Development Finance Corporation",
    ),
    ("empresa@demo.puente.local", "Elena Empresaria", Role.BUSINESS, "es", "Highland Roast Coffee Company"),
)


async def add_demo_people(session: AsyncSession) -> int:
    """Add the demo people whose organisation is in the database; the number added."""
    password_hash = hash_password(DEMO_PASSWORD)
    added = 0
    for email, name, role, language, organisation in DEMO_PEOPLE:
        organisation_id = None
        if organisation is not None:
            model = Partner if role is Role.PARTNER else Business
            organisation_id = await session.scalar(select(model.id).where(model.name == organisation).limit(1))
            if organisation_id is None:
                continue
        session.add(
            User(
                id=uuid.uuid4(),
                email=email,
                name=name,
                role=role.value,
                organization_id=organisation_id,
                language=language,
                password_hash=password_hash,
            )
        )
        added += 1
    await session.flush()
    return added
