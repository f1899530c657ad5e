"""Shared test builders: estates, git scenarios and a scripted executor backend."""
