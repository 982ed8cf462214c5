"""The version, in a module of its own: the renderers and the `.sql` header name it without
loading the API."""

__version__ = "0.2.0.dev0"
