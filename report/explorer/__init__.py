"""The council explorer: a page provider for the builder (one page per council)."""
