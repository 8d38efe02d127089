"""rfdetr 1.9.4's configuration classes (the classes of ``v1_9_0``), as its ``rfdetr.config`` names them."""

from ._lazy import release_module

__getattr__, __dir__, __all__ = release_module(__name__)
