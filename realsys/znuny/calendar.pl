# realsys harness: every scenario queue uses calendar 1 (ZZZRealsysCalendar.pm) with escalation times, so that Znuny
# computes FirstResponseInMin (only when the queue has a first response time) and SolutionInMin in that calendar.
# The times themselves (4 h response, 40 h solution) only switch the computation on; no KPI of the scenario uses
# Znuny's escalation. Idempotent; run by install.sh as the otrs user.
use strict;
use warnings;
use utf8;
use Kernel::System::ObjectManager;

local $Kernel::OM = Kernel::System::ObjectManager->new( 'Kernel::System::Log' => { LogPrefix => 'realsys-calendar' } );
my $QueueObject = $Kernel::OM->Get('Kernel::System::Queue');
my %Queues = reverse $QueueObject->QueueList( Valid => 0 );
for my $Name ( '1st Level', '2nd Level', 'Vendor Druckerservice', 'Vendor MDM' ) {
    my $ID = $Queues{$Name} or die "realsys calendar: no queue $Name\n";
    my %Q  = $QueueObject->QueueGet( ID => $ID );
    next if ( $Q{Calendar} // '' ) eq '1' && ( $Q{FirstResponseTime} // 0 ) == 240 && ( $Q{SolutionTime} // 0 ) == 2400;
    $QueueObject->QueueUpdate(
        %Q,
        QueueID           => $ID,
        Calendar          => '1',
        FirstResponseTime => 240,
        SolutionTime      => 2400,
        UpdateTime        => 0,
        FollowUpLock      => $Q{FollowUpLock} // 0,
        UserID            => 1,
    ) or die "realsys calendar: queue $Name not updated\n";
    print "queue $Name: calendar 1, first response 240 min, solution 2400 min\n";
}
