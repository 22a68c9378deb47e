"""The Performance tab: a domain's CPU, memory, disk and network graphs."""
