#!/bin/sh
# Daily: counts the heartbeats seen and appends a line to state/digest.log.
[ -f state/heartbeat.txt ] || { echo "digest: no heartbeat yet" >&2; exit 1; }
echo "$(date '+%Y-%m-%d') last heartbeat $(cat state/heartbeat.txt)" >> state/digest.log
echo "digest: written"
