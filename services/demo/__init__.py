"""The demo data set: volunteers and needs, missions at every stage, and credentials issued
through the real workflow."""
