"""The machinery: fields, conversions, the one construction mechanism, dict conversion and the errors.

Nothing here knows an rfdetr release; the layers above declare releases with it.
"""
