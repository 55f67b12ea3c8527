"""Benchmark support: synthetic data at scale (``engagement bench generate``)."""
