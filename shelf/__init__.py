"""Aftercheck's shelf check: a clinic's retail inventory, judged, stored and exported.

    from shelf.inventory import read_inventory
    from shelf.batch import judge_inventory
    batch = judge_inventory(read_inventory(open("stock.csv", "rb").read(), "stock.csv"))
    batch.summary     # {'avoid': 12, 'caution': 30, 'encouraged': 4, 'neutral': 80, 'unchecked': 2}

Modules: inventory (file -> rows + detected columns), batch (rows -> verdicts), store (the
stored shelf in SQL, upserts, re-judging), export (CSV/XLSX out, injection-safe), cli (the `shelf
check` and `shelf import` click commands). Verdict words come from checker/verdicts.py. No Flask here.
"""
