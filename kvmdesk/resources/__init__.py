"""Package data: icons, the demo host (test-driver XML) and translations.

Read through ``kvmdesk.paths`` (importlib.resources), so that a checkout, a
wheel and a distribution package find them the same way.
"""
