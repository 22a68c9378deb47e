"""The Snapshots tab: the tree of a domain's snapshots and what can be done with them."""
