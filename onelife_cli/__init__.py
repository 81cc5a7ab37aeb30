"""The ``onelife`` command line: the one package that uses both the learner and the planners.

``onelife explore | fit | evaluate | plan | play``; each subcommand lives in its own module
(``life``, ``evaluate``, ``plan``) and ``main`` assembles them.
"""
