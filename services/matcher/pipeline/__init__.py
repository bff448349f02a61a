"""The matching engine: a pure library (arrays in, arrays out) the matcher worker calls."""
