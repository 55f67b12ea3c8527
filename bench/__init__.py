"""The benchmark suite (``make bench``): our operations against baselines measured in the same
run, reported as ratios in ``bench/results.json`` and ``bench/results.md``.

:mod:`bench.harness` measures and writes; :mod:`bench.context` prepares the databases and the
files every case shares; :mod:`bench.cases` holds one module per area (queries, CLI, .ics, TUI,
PostgreSQL); :mod:`bench.run` is the entry point.
"""
