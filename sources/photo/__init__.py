"""Photo of a label -> its text (`ocr`: Tesseract after preparing the image) and its barcode
(`barcode`: EAN-13 / UPC-A). See each module's docstring."""
