"""Executor backends: where a stage's playbook really runs (see :mod:`changeops.execute.executor`)."""
