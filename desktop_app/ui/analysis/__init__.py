"""The Analysis view: its window, its charts, and the background counting behind it."""
