WITH q AS (
    SELECT dim,
           count(*) AS handoffs,
           quantile_cont(ack_bsecs, 0.5) / 3600.0 AS ack_median,
           quantile_cont(ack_bsecs, 0.9) / 3600.0 AS ack_p90,
           100.0 * count(ack_at) / count(*) AS ack_known_pct,
           quantile_cont(vendor_bsecs, 0.5) FILTER (WHERE ended_at IS NOT NULL) / 3600.0 AS duration_median,
           quantile_cont(vendor_bsecs, 0.9) FILTER (WHERE ended_at IS NOT NULL) / 3600.0 AS duration_p90,
           100.0 * count(*) FILTER (WHERE bounced) / nullif(count(*) FILTER (WHERE ended_at IS NOT NULL), 0) AS bounce_back_pct,
           100.0 * count(*) FILTER (WHERE reopened_after_fix) / nullif(count(*) FILTER (WHERE outcome = 'resolved'), 0) AS reopen_after_fix_pct,
           100.0 * count(*) FILTER (WHERE uc_response_met) / nullif(count(uc_response_met), 0) AS uc_response_pct,
           100.0 * count(*) FILTER (WHERE uc_resolution_met) / nullif(count(uc_resolution_met), 0) AS uc_resolution_pct
    FROM kh
    WHERE handed_at >= getvariable('q_start') AND handed_at < getvariable('q_end')
    GROUP BY ALL
), open_at_end AS (
    -- Handoffs begun before the end of the quarter and not ended by then, whenever they began.
    SELECT dim, count(*) AS backlog,
           median(date_diff('second', handed_at, getvariable('q_end')) / 86400.0) AS backlog_age_median_days
    FROM kh
    WHERE handed_at < getvariable('q_end') AND (ended_at IS NULL OR ended_at >= getvariable('q_end'))
    GROUP BY ALL
)
SELECT coalesce(q.dim, o.dim) AS key,
       coalesce(q.handoffs, 0) AS handoffs, q.ack_median, q.ack_p90, q.ack_known_pct,
       q.duration_median, q.duration_p90, q.bounce_back_pct, q.reopen_after_fix_pct,
       q.uc_response_pct, q.uc_resolution_pct,
       coalesce(o.backlog, 0) AS backlog, o.backlog_age_median_days
FROM q FULL OUTER JOIN open_at_end o ON o.dim = q.dim
