"""Vulnerability scanner: active probes of in-scope endpoints, passive checks of captured responses, attack replay."""
