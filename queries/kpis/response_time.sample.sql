-- One row per ticket behind response_time: the values its median and mean aggregate (the
-- management summary's bootstrap intervals resample them). Same filter as response_time.sql.
SELECT dim AS key,
       response_bsecs / 3600.0 AS median,
       response_bsecs / 3600.0 AS mean
FROM kt
WHERE first_response_at >= getvariable('q_start') AND first_response_at < getvariable('q_end')
  AND response_bsecs IS NOT NULL
