"""Hypothesis strategies for EC2 Query requests, built from the action catalog."""
