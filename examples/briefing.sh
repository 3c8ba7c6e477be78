#!/bin/sh
# The Monday-morning report.
echo "weekly briefing for the week of $(date '+%Y-%m-%d')"
