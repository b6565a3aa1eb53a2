"""The analysis numbers of one document or of the whole library, read from a store.

Shared by `desktop-app stats` and the Analysis view so both count the same things: the
library means the latest version of every article (earlier versions would count a claim twice).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop_app.core.analysis import Analysis, analyse

if TYPE_CHECKING:
    from desktop_app.storage.library_store import LibraryStore


def analyse_store(store: LibraryStore, document_id: int | None = None) -> Analysis:
    """Counts for `document_id`, or for the latest version of every article when None.

    Raises NotFoundError for a document the library does not hold.
    """
    if document_id is not None:
        documents = [store.document(document_id)]
        annotations = {document_id: store.annotations(document_id)}
    else:
        documents = [store.document(summary.id) for summary in store.documents()]
        annotations = {document.id: [] for document in documents}
        for annotation in store.all_annotations():
            if annotation.document_id in annotations:
                annotations[annotation.document_id].append(annotation)
    return analyse(documents, annotations, store.tags())
