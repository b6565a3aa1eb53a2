"""The window: reader, side panel, dialogs. Widgets react to DocumentSession signals."""
