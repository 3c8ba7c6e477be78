#!/bin/sh
# Hourly: removes scratch files older than a day from state/.
removed=$(find state -name '*.tmp' -mtime +0 -print -delete | wc -l)
echo "cleanup: removed $removed old scratch file(s)"
