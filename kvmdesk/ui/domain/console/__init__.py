"""The Console tab: the serial terminal."""
