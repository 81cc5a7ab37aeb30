"""Law induction: readable probabilistic laws learned from one life, with no rulebook.

``induce(transitions)`` finds what changed in each step (``observations``), proposes
preconditions from generic relations (``literals``), chooses them by held-out likelihood
minus a description-length penalty (``search``), ties effects that happen together into
joint outcomes and writes the result as laws (``assemble``); creatures' moves are mixtures
of generic move forms (``movement``). ``files`` writes the laws as ``.law`` files by topic.
The inducer knows the state's schema, the law language's generic relations and effect
forms, and the names of actions, materials, items and kinds: nothing of any rulebook.
"""

from onelife.induction.induce import InducedLaw, induce

__all__ = ["InducedLaw", "induce"]
