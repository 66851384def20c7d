"""The plane where points are placed and the model is drawn (a view of the window state)."""
