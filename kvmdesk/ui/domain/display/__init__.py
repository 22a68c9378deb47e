"""The Display tab: a live VNC view of the guest's screen, keyboard and pointer."""
