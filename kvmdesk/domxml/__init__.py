"""Libvirt XML as typed Python objects (stdlib only, no Qt)."""
