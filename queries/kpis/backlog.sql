WITH state_at_end AS (
    -- The segment running at the end of the quarter (segments of a ticket are contiguous,
    -- so exactly one per ticket created before the end).
    SELECT source, ticket_id, status_class
    FROM segments
    WHERE from_at < getvariable('q_end') AND (to_at IS NULL OR to_at >= getvariable('q_end'))
), open_at_end AS (
    SELECT kt.dim,
           date_diff('second', kt.created_at, getvariable('q_end')) / 86400.0 AS age_days
    FROM kt
    JOIN state_at_end USING (source, ticket_id)
    WHERE kt.created_at < getvariable('q_end')
      AND state_at_end.status_class NOT IN ('resolved', 'closed', 'cancelled')
)
SELECT dim AS key,
       count(*) AS total,
       count(*) FILTER (WHERE age_days <= 7) AS age_0_7d,
       count(*) FILTER (WHERE age_days > 7 AND age_days <= 30) AS age_8_30d,
       count(*) FILTER (WHERE age_days > 30 AND age_days <= 90) AS age_31_90d,
       count(*) FILTER (WHERE age_days > 90) AS age_over_90d
FROM open_at_end
GROUP BY ALL
