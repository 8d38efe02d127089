"""rfdetr 1.9.0's configuration classes, as its ``rfdetr.config`` names them."""

from ._lazy import release_module

__getattr__, __dir__, __all__ = release_module(__name__)
