"""Claimmark: read news articles, tag the claims in them, export the annotated notes."""

__version__ = "0.1.0"
APP_NAME = "Claimmark"
APP_ID = "org.claimmark.Claimmark"
