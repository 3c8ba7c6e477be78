#!/bin/sh
# Fetch: writes what it found into data/raw.txt of this plugin's folder.
mkdir -p data
echo "$(date '+%Y-%m-%d %H:%M:%S') 3 new posts for ${SUP_PLUGIN:-this plugin}" > data/raw.txt
echo "get: $(cat data/raw.txt)"
