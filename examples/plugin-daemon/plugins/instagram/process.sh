#!/bin/sh
# Process: turns data/raw.txt into data/processed.txt; fails the run when get found nothing.
[ -s data/raw.txt ] || { echo "process: nothing fetched" >&2; exit 1; }
tr 'a-z' 'A-Z' < data/raw.txt > data/processed.txt
echo "process: $(wc -l < data/processed.txt) item(s)"
