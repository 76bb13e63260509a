"""tinytf's benchmark suite: ``python -m bench`` prints one table (see bench/README.md)."""
