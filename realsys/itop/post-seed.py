#!/usr/bin/env python3
"""Truncate every instant iTop recorded to the minute (post-seed.sh; MariaDB, database itop, server stopped).

PHP's faked clock ticks (a relative offset, start.sh), so iTop recorded each scripted instant plus the call's
latency (seed.py prints the slowest call; it refuses any of 50 s or more). Truncated here:
- every DATETIME column of every table (priv_change.date, the tickets' start/assignment/resolution/close/
  last_update/last_pending dates, the stopwatches' started/laststart/stopped, work orders, …);
- the date values kept as text in the history (priv_changeop_setatt_scalar old/new value of assignment_date,
  resolution_date, close_date, last_pending_date, …);
- the case logs: the entry headers in the text ("========== 2025-04-01 10:18:01 : …") and the entries' unix times
  in the *_log_index columns.
Left as iTop computed them (from the untruncated instants, so off by the latencies: a few seconds at most): the
stopwatch durations tto/ttr/cumulatedpending (*_timespent) and time_spent. Prints what it changed and the largest
seconds value it removed from the replayed changes (the slowest recorded latency).
"""
import re
import subprocess

DB = "itop"


def sql(q):
    return subprocess.run(["mysql", "-uroot", "--batch", "--skip-column-names", "--raw", DB, "-e", q],
                          check=True, capture_output=True, text=True).stdout


def rows(q):
    return [line.split("\t") for line in sql(q).splitlines() if line]


def main():
    # the replayed changes (the scenario ends before 2026; install-time objects were made on the real clock)
    mx, n = rows("SELECT MAX(SECOND(date)), COUNT(*) FROM priv_change WHERE date < '2026-01-01'")[0]
    print(f"itop post-seed: {n} changes replayed; largest latency recorded: {mx} s (limit 59)")
    if n != "0" and int(mx) >= 60:
        raise SystemExit("impossible seconds value")
    total = 0
    for table, col in rows("SELECT table_name, column_name FROM information_schema.columns "
                           f"WHERE table_schema = '{DB}' AND data_type = 'datetime' ORDER BY 1, 2"):
        out = sql(f"UPDATE `{table}` SET `{col}` = `{col}` - INTERVAL SECOND(`{col}`) SECOND "
                  f"WHERE SECOND(`{col}`) <> 0; SELECT ROW_COUNT();").strip()
        total += int(out or 0)
    print(f"itop post-seed: {total} DATETIME values truncated to the minute")
    out = sql("UPDATE priv_changeop_setatt_scalar SET oldvalue = CONCAT(LEFT(oldvalue, 17), '00') "
              "WHERE oldvalue REGEXP '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$' "
              "AND RIGHT(oldvalue, 2) <> '00'; SELECT ROW_COUNT();"
              "UPDATE priv_changeop_setatt_scalar SET newvalue = CONCAT(LEFT(newvalue, 17), '00') "
              "WHERE newvalue REGEXP '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$' "
              "AND RIGHT(newvalue, 2) <> '00'; SELECT ROW_COUNT();").split()
    print(f"itop post-seed: {sum(map(int, out))} date values in the history (old/new values) truncated")
    head = re.compile(r"(========== \d{4}-\d\d-\d\d \d\d:\d\d:)(\d\d)( : )")
    idx = re.compile(r'(s:4:"date";i:)(\d+)(;)')
    n_logs = 0
    for table, col in rows("SELECT table_name, column_name FROM information_schema.columns "
                           f"WHERE table_schema = '{DB}' AND column_name LIKE '%\\_log\\_index' ORDER BY 1"):
        text_col = col[: -len("_index")]
        for rid, hx_text, hx_index in rows(f"SELECT id, HEX(`{text_col}`), HEX(`{col}`) FROM `{table}` "
                                           f"WHERE `{col}` IS NOT NULL AND `{col}` <> ''"):
            text = bytes.fromhex(hx_text).decode("utf-8")
            index = bytes.fromhex(hx_index).decode("utf-8")
            t2 = head.sub(lambda m: m.group(1) + "00" + m.group(3), text)
            i2 = idx.sub(lambda m: m.group(1) + str(int(m.group(2)) - int(m.group(2)) % 60) + m.group(3), index)
            if (t2, i2) != (text, index):
                sql(f"UPDATE `{table}` SET `{text_col}` = X'{t2.encode().hex()}', `{col}` = X'{i2.encode().hex()}' "
                    f"WHERE id = {rid}")
                n_logs += 1
    print(f"itop post-seed: {n_logs} case logs (text and index) truncated")
    left = rows("SELECT COUNT(*) FROM priv_change WHERE SECOND(date) <> 0")[0][0]
    if left != "0":
        raise SystemExit(f"itop post-seed: {left} changes still have seconds")


if __name__ == "__main__":
    main()
