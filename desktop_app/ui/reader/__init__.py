"""The reading column: the article view, what a key or a click in it changes, and find."""
