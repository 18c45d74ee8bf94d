"""Reading scanned paper returns: identify, align and read each page, store the clear returns."""
