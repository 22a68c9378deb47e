"""Dialogs for adding, editing and authenticating connections."""
