"""Skills: ways of acting in the world that need no model, shared by every agent.

``navigation`` (where the player can stand and face, and the shortest way there),
``options`` (temporally extended actions: go to, collect, attack, craft, place, sleep,
flee, walk, wait, and chains of them) and ``shelter`` (closing a small room around the
player for the night and getting out in the morning). The planners' strategies and the
novelty explorer are built from them.
"""
