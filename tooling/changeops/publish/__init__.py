"""The published site: a mkdocs plugin that turns the estate into pages at build time.

``plugin`` hooks into mkdocs; ``snapshot`` reads the estate once per build; one
module per kind of page (``change_pages``, ``calendar_pages``, ``devices``,
``runbook_pages``, ``summary``, ``documents``, ``home``) renders Markdown from the
templates in ``templates/``, with the words of ``labels`` in the customer's language.
"""
