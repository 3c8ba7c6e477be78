#!/bin/sh
# Polls a (pretend) mailbox and reports what it found, like a mail watcher would.
interval=${POLL_SECONDS:-3}
trap 'echo "gmail-watcher: stopping"; exit 0' TERM INT
echo "gmail-watcher: watching label ${LABEL:-INBOX} every ${interval}s"
n=0
while true; do
  n=$((n + 1))
  unread=$(( $(date +%s) % 7 ))
  echo "poll #$n: $unread unread in ${LABEL:-INBOX}"
  sleep "$interval" &
  wait $!
done
