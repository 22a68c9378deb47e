"""The main window: tree, menus, toolbar, actions and their dialogs."""
