#!/bin/sh
# Handles one dropped file: its path arrives as $SUP_FILE and as the last argument.
file=${SUP_FILE:-$1}
echo "handling $(basename "$file"): $(wc -l < "$file") line(s)"
