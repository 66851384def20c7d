"""The side panel's parts: the training controls and the read-out of the shown epoch."""
