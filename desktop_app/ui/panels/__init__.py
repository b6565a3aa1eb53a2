"""The panels beside the article: codebook and annotations, library, review, and search."""
