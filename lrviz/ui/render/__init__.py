"""Painting helpers shared by the views: GIL-free painting, colours, the heatmap item, image files."""
