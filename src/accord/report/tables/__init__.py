"""Rich tables of every result: one module per kind of run (forecast, what-if, deal, ...)."""
