"""Shared contracts of every Rampart component: events, topics, config, logging (no I/O at import)."""
