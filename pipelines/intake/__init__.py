"""In: the input contract, a delivery's files, and loading them into the warehouse."""
