"""Offline plan: the mock engine, the resource tree, the cost estimate and the diff (`python -m plan`)."""
