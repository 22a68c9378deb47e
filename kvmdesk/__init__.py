"""kvmdesk: a desktop manager for KVM/QEMU virtual machines through libvirt."""

__version__ = "0.1.0"
