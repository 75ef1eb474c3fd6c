-- One row per ticket behind sla_compliance: 1 within target, 0 not, NULL where the ticket
-- does not count for that rate (same filters as sla_compliance.sql).
SELECT dim AS key,
       CASE WHEN first_response_at >= getvariable('q_start') AND first_response_at < getvariable('q_end')
            THEN response_met::INTEGER END AS response_pct,
       CASE WHEN first_resolved_at >= getvariable('q_start') AND first_resolved_at < getvariable('q_end')
            THEN resolution_met::INTEGER END AS resolution_pct
FROM kt
WHERE (first_response_at >= getvariable('q_start') AND first_response_at < getvariable('q_end'))
   OR (first_resolved_at >= getvariable('q_start') AND first_resolved_at < getvariable('q_end'))
