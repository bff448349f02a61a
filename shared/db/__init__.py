"""Database plumbing shared by both services: declarative base, column types, engine, tenancy, audit.

Importing this package registers the session hooks (organisation scoping, audit log).
"""

from shared.db import audit as _audit  # noqa: F401  (registers the before_flush hook)
from shared.db import tenancy as _tenancy  # noqa: F401  (registers the do_orm_execute hook)
