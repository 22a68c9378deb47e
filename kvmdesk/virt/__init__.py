"""Blocking libvirt calls and plain data records. No Qt here."""
