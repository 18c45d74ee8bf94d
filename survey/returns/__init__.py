"""The rules of paper returns: reading what a typist typed or a scanner read, double entry and
reconciliation, and the doubts a scanner leaves for a person. Both the data-entry screens and
scanning use them, so they sit below both."""
