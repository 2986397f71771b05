"""The ``accord`` command line (Typer + Rich), thin over the layers below."""
