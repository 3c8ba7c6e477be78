#!/bin/sh
# One worker per task file: its path arrives as $SUP_FILE and as the last argument. Writes the
# reply to Outbox/; sup moves the task to Done/ once this exits 0.
file=${SUP_FILE:-$1}
name=$(basename "$file" .md)
{
  echo "# reply to $name"
  echo "task: $(head -n 1 "$file")"
  echo "lines read: $(wc -l < "$file")"
  echo "worker pid: $$"
} > "Outbox/$name.reply.md"
echo "worker $$: answered $name"
