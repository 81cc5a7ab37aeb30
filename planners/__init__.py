"""planners: planning and decision-making agents that use any world model through one interface."""
