"""The window: reader, side panel, dialogs. Widgets react to DocumentSession signals.

Importing this package first stops PySide6's import hook from reading the source of each
module imported after it (see pyside_import_hook): everything the window loads later, from
SQLAlchemy to the exporters, is imported through a ui module.
"""

from desktop_app.ui.shell.pyside_import_hook import skip_source_reading

skip_source_reading()
