"""Widgets, message pages and error boxes shared by every window."""
