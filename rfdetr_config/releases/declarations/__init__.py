"""Each distinct rfdetr release's configuration classes as declarations, one module per release.

``r1_8_1`` declares rfdetr 1.8.1 in full; each later module declares what its release changed.
"""
