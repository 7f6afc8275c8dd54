"""Telling people what waits on them: the outbox of notifications, their preferences, the
conversation of each mission, the first call and the answer deadlines."""
