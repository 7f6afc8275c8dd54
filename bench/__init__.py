"""Benchmarks: each prints its baseline from the same run (see bench/README.md)."""
