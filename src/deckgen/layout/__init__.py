"""Pure planners: outline -> DeckPlan / BriefPlan (no output library imported here)."""
