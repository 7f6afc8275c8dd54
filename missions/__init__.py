"""Use-cases shared by the API and the CLI: the only layer that commits."""

from missions import demo, people, records, reference, schema, transfer

__all__ = ["demo", "people", "records", "reference", "schema", "transfer"]
