"""The live plots (loss, parameters) and the timeline: views of the run's history."""
