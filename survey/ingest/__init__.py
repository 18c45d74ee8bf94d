"""Import of survey returns from files: read, map, validate, store."""
