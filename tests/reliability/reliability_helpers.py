"""Constants and builders shared by the reliability tests."""
from __future__ import annotations

from werkzeug.security import generate_password_hash

PASSWORD = "correct horse battery staple"
HASH = generate_password_hash(PASSWORD)
