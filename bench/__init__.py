"""Side-by-side benchmarks; each module runs as `python -m bench.NAME`, prints a table and, as its
last line, one JSON object."""
