"""Reference regions, the need catalogue and need indicator values: loading, importing, first start."""
