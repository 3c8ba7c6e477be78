#!/bin/sh
# One AI workflow session: an id, its context, the prompt, and what the agent answered.
# SUP_RUN_ID / SUP_TRIGGER / SUP_SCHEDULED_AT come from sup's run context where it provides
# them; otherwise the id is built the way the old cron daemon did.
job=${JOB:-coffee}
session=${SUP_RUN_ID:-cron-$job-$(date +%Y%m%d-%H%M%S)}
prompt=${1:-"(no prompt)"}
mkdir -p sessions
{
  echo "# $session"
  echo "source: ${SUP_TRIGGER:-cron}"
  echo "job: $job"
  echo "scheduled: ${SUP_SCHEDULED_AT:-$(date -u +%Y-%m-%dT%H:%M:%SZ)}"
  echo "prompt: $prompt"
  echo "answer: (an agent would run here; this example only records the session)"
} > "sessions/$session.md"
echo "session $session written"
