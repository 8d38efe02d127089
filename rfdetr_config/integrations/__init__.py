"""What other tools read: the JSON Schema, the cattrs hooks and the Hypothesis strategies."""
