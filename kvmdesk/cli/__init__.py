"""Headless subcommands (``kvmdesk check``, ``kvmdesk screenshot``): no window."""
