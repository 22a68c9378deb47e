"""The details pane of a domain: a tab container and one package per tab."""
