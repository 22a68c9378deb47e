"""The XML tab: edit a domain's definition like virsh edit."""
