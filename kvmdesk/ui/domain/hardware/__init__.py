"""The Hardware tab: a domain's devices, one small form per family."""
