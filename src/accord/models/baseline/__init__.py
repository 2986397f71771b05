"""Static baseline models: compromise (weighted mean), mean, median, weighted median, Nash bargaining.

Each forecasts in one round from the positions, saliences and capabilities as given; they are
the benchmarks of the EU decision-making studies (Thomson, Stokman, Achen & Koenig, *The
European Union Decides*, 2006).
"""
