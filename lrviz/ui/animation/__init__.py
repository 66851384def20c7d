"""File ▸ Export Animation: filming the run epoch by epoch (film_set), the dialog, the job."""
