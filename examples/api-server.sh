#!/bin/sh
# Stands in for a small plugin server: stays up, logs a heartbeat, cleans up on SIGTERM.
trap 'echo "api-server: draining connections"; sleep 1; echo "api-server: bye"; exit 0' TERM INT
echo "api-server: listening (pretend) on 127.0.0.1:8787"
while true; do
  sleep 30 &
  wait $!
  echo "api-server: healthy"
done
