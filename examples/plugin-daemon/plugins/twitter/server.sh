#!/bin/sh
# The plugin's long-running server: here it only reports that it is alive.
plugin=${2:-plugin}
trap 'echo "$plugin server: stopping"; exit 0' TERM INT
echo "$plugin server: up (pid $$)"
while true; do
  sleep 5 &
  wait $!
  echo "$plugin server: alive"
done
