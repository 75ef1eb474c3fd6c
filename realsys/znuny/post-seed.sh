#!/bin/bash
# After seeding (server stopped): remove Znuny's own welcome ticket ("Znuny says hi!", queue Raw, created at
# install time with the real clock) so that the system holds the scenario's tickets only.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd); . "$HERE/../lib/common.sh"
ZH=$REALSYS_STATE/znuny-home
( cd "$ZH" && su otrs -c "perl -I$ZH -I$ZH/Kernel/cpan-lib -e '
use strict; use warnings; use Kernel::System::ObjectManager;
local \$Kernel::OM = Kernel::System::ObjectManager->new();
my \$T = \$Kernel::OM->Get(q{Kernel::System::Ticket});
my @IDs = \$T->TicketSearch(Result => q{ARRAY}, Title => q{Znuny says hi!}, UserID => 1, Limit => 10);
\$T->TicketDelete(TicketID => \$_, UserID => 1) or die qq{delete \$_ failed\n} for @IDs;
print scalar(@IDs), qq{ welcome ticket(s) removed\n};
'" ) || die "znuny: removing the welcome ticket failed"
