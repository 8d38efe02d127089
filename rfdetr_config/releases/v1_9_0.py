"""rfdetr 1.9.0 to 1.9.4's configuration classes, as those releases' ``rfdetr.config`` names them."""

from ._lazy import release_module

__getattr__, __dir__, __all__ = release_module(__name__)
