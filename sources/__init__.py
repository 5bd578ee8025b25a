"""Where a label comes from, before it is parsed: a shop's page, a URL, a photo.

    sources.page   product page HTML -> product name, brand and the ingredient list on it
    sources.fetch  a user-supplied URL -> the page's HTML, guarded against the private network
    sources.photo  a photo of the packaging -> the label's text (OCR) and its barcode
    sources.sites  the few per-site hooks the generic page reading needs

Each adapter hands text to the checker package (parse -> match -> judge -> report); the page
reader is given the Checker it scores candidates with. Nothing here imports Flask.
"""
