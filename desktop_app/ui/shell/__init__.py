"""The window's frame: start-up, the main window and its menus, settings, one window per
library, and the background work (imports, version carrying, backups) the window starts."""
