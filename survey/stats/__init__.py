"""Statistics: designs, weights, estimates, tests and disclosure control, on the dataset."""
