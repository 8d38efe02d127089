"""rfdetr's own checks and normalisations: ranges, paths, devices, enums, optimizer names, and its rules.

The declarations of each release pick from these; each is written once, whichever releases share it.
"""
