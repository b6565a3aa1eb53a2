"""What a library needs before the window or a command uses it: a codebook and a first article."""

from __future__ import annotations

from desktop_app.core.codebook import load_default_codebook
from desktop_app.core.text_normalise import normalise_text
from desktop_app.resources import resource_path, sample_article
from desktop_app.storage.library_store import LAST_DOCUMENT_KEY, LibraryStore


def prepare_library(store: LibraryStore, *, purge_deleted: bool = True) -> None:
    """Give a new library the default codebook (trade, security, coalition), and remove for
    good the documents deleted (undoably) in an earlier session.

    The command line passes `purge_deleted=False`: a window open on the same library may
    still hold the undo of such a deletion, which a purge would turn into an error.
    """
    if purge_deleted:
        store.purge_deleted_documents()
    if not store.tags():
        store.seed_codebook(load_default_codebook(resource_path("codebook.json")).tags)


def start_document(store: LibraryStore) -> int:
    """The document to open when no file is named: the last one open, else the first, else
    the sample article, imported into an empty library so the first launch has something to read.
    """
    last = store.setting(LAST_DOCUMENT_KEY)
    documents = store.documents()
    ids = {d.id for d in documents}
    if last is not None and last.isdigit() and int(last) in ids:
        return int(last)
    if documents:
        return documents[0].id
    title, source, text = sample_article()
    # Normalised here, where the text is built for the library, as every reader does.
    return store.add_document(title, source, normalise_text(text)).id
