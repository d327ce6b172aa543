"""slicebench: reading, plotting and comparing benchmark results."""
