"""`survey demo`: the whole pipeline on the flagship survey and its sample returns, into one
folder a newcomer can open."""
