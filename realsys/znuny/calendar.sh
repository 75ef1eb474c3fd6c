#!/bin/bash
# Znuny's own figures in the scenario's calendar: install ZZZRealsysCalendar.pm (calendar 1) and give the scenario's
# queues that calendar with escalation times (calendar.pl). Run by export.sh before every export, so that a re-seed
# (which restores the pristine database) cannot lose it; idempotent, changes nothing the seed recorded.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd); . "$HERE/../lib/common.sh"
ZH=$REALSYS_STATE/znuny-home
install -m 0644 -o otrs -g www-data "$HERE/ZZZRealsysCalendar.pm" "$ZH/Kernel/Config/Files/ZZZRealsysCalendar.pm"
install -m 0644 "$HERE/calendar.pl" "$REALSYS_STATE/znuny/calendar.pl"
( cd "$ZH" && su otrs -c "perl -I$ZH -I$ZH/Kernel/cpan-lib $REALSYS_STATE/znuny/calendar.pl" ) || die "znuny: calendar.pl failed"
su otrs -c "$ZH/bin/otrs.Console.pl Maint::Cache::Delete" >/dev/null
