"""Resource library: teaching materials shared in communities."""
