"""One module per area; each has ``run(context) -> list[Measure]``."""
