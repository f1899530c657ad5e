"""Authoring: write a new record with every section (`new`), read one back as a person would (`show`)."""
