"""Backtesting on negotiations with known outcomes, one role per module.

Data sets are read by :mod:`accord.scenario.io` (e.g. :mod:`accord.scenario.io.deu`); here:

* preparing cases: :mod:`.stack` (one-issue arrays side by side), :mod:`.proposals` (the issues
  of one proposal as one scenario);
* running models on them: :mod:`.backtest`;
* fitting the fitted model: :mod:`.fit_choice`;
* cross-validation: :mod:`.crossval` (grouped folds), :mod:`.nested` (selection inside),
  :mod:`.choice_cv` (the choice model's variant selection and its nested CV);
* scoring: :mod:`.metrics` (errors, coverage), :mod:`.bootstrap` (cluster-bootstrap intervals);
* summaries: :mod:`.summary` (plain data), :mod:`.plot` (the predicted-against-actual figure).
"""
