#!/bin/sh
# Polls a (pretend) mailbox; every so often a new mail becomes a task file in Inbox/.
interval=${POLL_SECONDS:-30}
trap 'echo "mail-watcher: stopping"; exit 0' TERM INT
echo "mail-watcher: polling every ${interval}s"
n=0
while true; do
  sleep "$interval" &
  wait $!
  n=$((n + 1))
  if [ $((n % 10)) -eq 0 ]; then
    printf '# mail %s\nPlease summarise this mail.\n' "$n" > "Inbox/mail-$n.tmp" && mv "Inbox/mail-$n.tmp" "Inbox/mail-$n.md"
    echo "mail-watcher: queued Inbox/mail-$n.md"
  fi
done
