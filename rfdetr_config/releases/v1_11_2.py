"""rfdetr 1.11.2's configuration classes (the classes of ``v1_11_1``), as its ``rfdetr.config`` names them."""

from ._lazy import release_module

__getattr__, __dir__, __all__ = release_module(__name__)
