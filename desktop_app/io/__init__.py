"""Importers and exporters: files in, annotated notes out."""
