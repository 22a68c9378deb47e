"""The Screenshot tab: periodic captures, send keys, capture all."""
