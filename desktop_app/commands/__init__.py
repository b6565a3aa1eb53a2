"""Undoable user actions: each is a QUndoCommand that calls the DocumentSession, never a widget."""
