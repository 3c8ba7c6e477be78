#!/bin/sh
# Every 5 minutes: proves the machine is up, in state/heartbeat.txt.
date '+%Y-%m-%d %H:%M:%S' > state/heartbeat.txt
echo "heartbeat: ok"
