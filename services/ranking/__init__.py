"""Ranking: need → volunteers and volunteer → needs, over the in-memory vector pool, with the
stored embeddings and inferred competences kept in step with the texts."""
