"""Tests of the detection engine: points, detectors, rules, CLI, properties and corpus quality."""
