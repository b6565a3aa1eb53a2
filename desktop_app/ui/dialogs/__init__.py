"""The window's dialogs: tags, codebook, export, versions, claims review, recovery, errors."""
