"""Actor: who is acting (an API key, a signed-in person, or the system itself), with a role and organisation."""

import uuid
from dataclasses import dataclass

from shared.enums import Role

#: Roles whose keys speak for one organisation and see only its records.
SCOPED_ROLES = frozenset({Role.PARTNER, Role.BUSINESS})


@dataclass(frozen=True, slots=True)
class Actor:
    role: Role
    organization_id: uuid.UUID | None = None
    key_id: uuid.UUID | None = None
    #: The signed-in person, for changes made in the console; None for API keys and the system.
    user_id: uuid.UUID | None = None
    label: str = ""
    request_id: str | None = None

    @property
    def is_scoped(self) -> bool:
        return self.role in SCOPED_ROLES


SYSTEM = Actor(role=Role.ADMIN, label="system")
