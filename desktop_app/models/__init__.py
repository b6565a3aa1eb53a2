"""Qt-side models: the open document's state and the item models the side panel shows.

They hold plain records (ids and dataclasses), never live ORM objects.
"""
