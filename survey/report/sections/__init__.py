"""The report's sections, one module each: every maker takes the Builder (the results table
with its labels and number formats) and returns a Section, empty when it has nothing to say."""
