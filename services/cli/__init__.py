"""The `puente` command line: the operator's entry point, and the one package that may import both services."""
