"""The built-in export formats: one module per consumer, each a context builder + renderer."""
