# realsys harness: Znuny's working-time calendar 1, configured like the scenario's service calendar
# (realsys/kennzahl.toml, scenario/servicecal.py): Europe/Berlin, Mon-Thu 08:00-16:00, Fri 08:00-13:00 (Znuny counts
# whole hours: 8 = 08:00-09:00), the public holidays of North Rhine-Westphalia (fixed ones every year, the movable
# ones of 2025 as one-time days). install.sh copies it to Kernel/Config/Files/ (loaded after ZZZAAuto.pm) and
# calendar.pl gives every scenario queue this calendar and escalation times, so that TicketGet (Extended) computes
# FirstResponseInMin and SolutionInMin in the same service hours as kennzahl.
package Kernel::Config::Files::ZZZRealsysCalendar;
use strict;
use warnings;
use utf8;

sub Load {
    my ( $File, $Self ) = @_;
    my @Full = ( 8 .. 15 );
    $Self->{'TimeZone::Calendar1Name'}      = 'Schul-IT NW';
    $Self->{'TimeZone::Calendar1'}          = 'Europe/Berlin';
    $Self->{'TimeWorkingHours::Calendar1'} = {
        Mon => [@Full], Tue => [@Full], Wed => [@Full], Thu => [@Full], Fri => [ 8 .. 12 ], Sat => [], Sun => [],
    };
    $Self->{'TimeVacationDays::Calendar1'} = {
        1  => { 1 => 'Neujahr' },
        5  => { 1 => 'Tag der Arbeit' },
        10 => { 3 => 'Tag der Deutschen Einheit' },
        11 => { 1 => 'Allerheiligen' },
        12 => { 25 => '1. Weihnachtstag', 26 => '2. Weihnachtstag' },
    };
    $Self->{'TimeVacationDaysOneTime::Calendar1'} = {
        2025 => {
            4 => { 18 => 'Karfreitag', 21 => 'Ostermontag' },
            5 => { 29 => 'Christi Himmelfahrt' },
            6 => { 9  => 'Pfingstmontag', 19 => 'Fronleichnam' },
        },
    };
    return 1;
}

1;
