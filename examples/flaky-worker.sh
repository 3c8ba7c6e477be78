#!/bin/sh
# Works for a while, then crashes: sup brings it back.
lifetime=$(( ($(date +%s) % 20) + 5 ))
echo "flaky-worker: working for ${lifetime}s"
sleep "$lifetime"
echo "flaky-worker: something went wrong" >&2
exit 1
