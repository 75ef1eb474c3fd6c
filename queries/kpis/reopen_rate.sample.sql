-- One row per ticket behind reopen_rate: 1 reopened, 0 not (same filter as reopen_rate.sql).
SELECT dim AS key, (reopen_count > 0)::INTEGER AS value
FROM kt
WHERE first_resolved_at >= getvariable('q_start') AND first_resolved_at < getvariable('q_end')
