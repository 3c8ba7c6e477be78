#!/bin/sh
# Push: appends the processed items to data/pushed.log (where a real plugin would post them).
cat data/processed.txt >> data/pushed.log
echo "push: $(wc -l < data/pushed.log) item(s) pushed so far"
