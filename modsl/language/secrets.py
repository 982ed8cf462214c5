"""What counts as a secret in a key (`aws.s3.secret_key`, `AWS_SECRET_KEY`, `password`): such a
value is never written into a plan (MB218), and the importer masks it wherever it shows SQL."""

from __future__ import annotations

SECRET_WORDS = ("access_key", "accesskey", "key_id", "secret_key", "password", "token",
                "secret", "credential", "sas_token", "shared_key", "private_key")


def is_secret(key: str) -> bool:
    lower = key.lower()
    return any(word in lower for word in SECRET_WORDS)
