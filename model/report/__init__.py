"""What people read: the translation table, labels and number formats, chart specs, the story and the brief."""
