"""Spark jobs that train, evaluate and register detection models and build per-endpoint profiles."""
