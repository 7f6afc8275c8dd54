"""Credentials: issuing, revoking and endorsing badges, issuers and their keys, the public
documents and their addresses, and verifying any badge (ours from the database, others' over
HTTPS from public addresses only)."""
