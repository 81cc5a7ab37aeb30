"""laws: the law library, as ``.law`` text files (data, not code)."""
