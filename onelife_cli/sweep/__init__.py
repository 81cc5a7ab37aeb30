"""``onelife sweep``: many (seed, variant, policy, pipeline) runs of explore, fit and evaluate,
as Ray tasks or serially, resumable, summarised over seeds."""
