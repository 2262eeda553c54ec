"""Dateline: a self-hosted news publishing system."""
