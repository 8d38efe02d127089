"""rfdetr 1.11.1 and 1.11.2: the configuration classes, as ``rfdetr.config`` names them."""

from ._lazy import release_module

__getattr__, __dir__, __all__ = release_module(__name__)
