# realsys harness: Znuny objects of the scenario, made once by znuny/install.sh through Znuny's own API
# (perl -I<home> -I<home>/Kernel/cpan-lib setup.pl <home>, as the otrs user).
#
#   schools   -> customer companies (CustomerID = school id) with one function account each (schule-<id>)
#   queues    -> queues "1st Level", "2nd Level", "Vendor Druckerservice", "Vendor MDM" (group users)
#   teams     -> roles of the same names with their technical agent (l1-agent, l2-agent, vendor-druck, vendor-mdm)
#   services  -> services "Netzwerk/WLAN", "Endgeräte", … (default services of every customer)
#   types     -> ticket types "Störung", "Serviceanfrage"
#   statuses  -> new, open, "waiting for customer" (open), "waiting for vendor" (open), "resolved" (closed),
#                "closed successful" (closed), "cancelled" (closed)
#   priority  -> "5 very high" (1), "4 high" (2), "3 normal" (3), "2 low" (4)
use strict;
use warnings;
use utf8;
use Kernel::System::ObjectManager;

local $Kernel::OM = Kernel::System::ObjectManager->new( 'Kernel::System::Log' => { LogPrefix => 'realsys-setup' } );
my $OM = $Kernel::OM;

sub must { my ( $v, $what ) = @_; die "realsys setup: $what failed\n" if !$v; return $v; }

# statuses
my $StateObject = $OM->Get('Kernel::System::State');
my %Types = reverse $StateObject->StateTypeList( UserID => 1 );
my %States = reverse $StateObject->StateList( UserID => 1, Valid => 0 );
for ( [ 'waiting for customer', 'open' ], [ 'waiting for vendor', 'open' ], [ 'resolved', 'closed' ], [ 'cancelled', 'closed' ] ) {
    next if $States{ $_->[0] };
    must( $StateObject->StateAdd( Name => $_->[0], Comment => 'realsys', ValidID => 1, TypeID => $Types{ $_->[1] }, UserID => 1 ),
        "state $_->[0]" );
}

# ticket types
my $TypeObject = $OM->Get('Kernel::System::Type');
my %TypeList = reverse $TypeObject->TypeList( Valid => 0 );
for my $T ( 'Störung', 'Serviceanfrage' ) {
    next if $TypeList{$T};
    must( $TypeObject->TypeAdd( Name => $T, ValidID => 1, UserID => 1 ), "type $T" );
}

# services, default for every customer
my $ServiceObject = $OM->Get('Kernel::System::Service');
my %Services = reverse $ServiceObject->ServiceList( Valid => 0, UserID => 1 );
for my $S ( 'Netzwerk/WLAN', 'Endgeräte', 'Drucker/Peripherie', 'Software', 'Schulserver' ) {
    my $ID = $Services{$S} || must( $ServiceObject->ServiceAdd( Name => $S, ValidID => 1, Comment => 'realsys', UserID => 1 ), "service $S" );
    $ServiceObject->CustomerUserServiceMemberAdd( CustomerUserLogin => '<DEFAULT>', ServiceID => $ID, Active => 1, UserID => 1 );
}

# queues
my $GroupObject = $OM->Get('Kernel::System::Group');
my $Users = $GroupObject->GroupLookup( Group => 'users' ) or die "no group users\n";
my $QueueObject = $OM->Get('Kernel::System::Queue');
my %Queues = reverse $QueueObject->QueueList( Valid => 0 );
my @Teams = ( [ '1st Level', 'l1-agent' ], [ '2nd Level', 'l2-agent' ], [ 'Vendor Druckerservice', 'vendor-druck' ], [ 'Vendor MDM', 'vendor-mdm' ] );
for my $T (@Teams) {
    next if $Queues{ $T->[0] };
    must( $QueueObject->QueueAdd(
        Name => $T->[0], ValidID => 1, GroupID => $Users, SystemAddressID => 1, SalutationID => 1, SignatureID => 1,
        FollowUpID => 1, FollowUpLock => 0, Comment => 'realsys', UserID => 1 ), "queue $T->[0]" );
}

# agents (technical accounts), their teams as roles, and the read-only account kennzahl
my $UserObject = $OM->Get('Kernel::System::User');
my %Roles = reverse $GroupObject->RoleList( Valid => 0 );
for my $T ( @Teams, [ 'kennzahl readers', 'kennzahl' ] ) {
    my ( $Team, $Login ) = @$T;
    my $UID = $UserObject->UserLookup( UserLogin => $Login, Silent => 1 ) || must( $UserObject->UserAdd(
        UserFirstname => $Team, UserLastname => '(technical account)', UserLogin => $Login,
        UserPw => ( $Login eq 'kennzahl' ? 'realsys-fetch' : 'realsys-agent' ),
        UserEmail => "$Login\@example.test", ValidID => 1, ChangeUserID => 1 ), "agent $Login" );
    my $Perm = $Login eq 'kennzahl'
        ? { ro => 1, move_into => 0, create => 0, owner => 0, priority => 0, rw => 0 }
        : { ro => 1, move_into => 1, create => 1, owner => 1, priority => 1, rw => 1 };
    $GroupObject->PermissionGroupUserAdd( GID => $Users, UID => $UID, Permission => $Perm, UserID => 1 );
    my $RID = $Roles{$Team} || must( $GroupObject->RoleAdd( Name => $Team, ValidID => 1, UserID => 1 ), "role $Team" );
    $GroupObject->PermissionRoleUserAdd( RID => $RID, UID => $UID, Active => 1, UserID => 1 );
}

# schools: customer companies and their function accounts
my $CompanyObject = $OM->Get('Kernel::System::CustomerCompany');
my $CustomerUserObject = $OM->Get('Kernel::System::CustomerUser');
for my $S ( [ 'GS-ALT', 'Grundschule Altstadt' ], [ 'GS-NORD', 'Grundschule Nordviertel' ], [ 'GE-MITTE', 'Gesamtschule Mitte' ],
            [ 'RS-PARK', 'Realschule Am Park' ], [ 'GY-STADT', 'Städtisches Gymnasium' ], [ 'BK-TECH', 'Berufskolleg Technik' ] ) {
    my ( $ID, $Name ) = @$S;
    my %C = $CompanyObject->CustomerCompanyGet( CustomerID => $ID );
    $CompanyObject->CustomerCompanyAdd( CustomerID => $ID, CustomerCompanyName => $Name, ValidID => 1, UserID => 1 ) if !%C;
    my $Login = 'schule-' . lc $ID;
    my %U = $CustomerUserObject->CustomerUserDataGet( User => $Login );
    next if %U;
    must( $CustomerUserObject->CustomerUserAdd(
        Source => 'CustomerUser', UserFirstname => 'Schule', UserLastname => $ID, UserCustomerID => $ID,
        UserLogin => $Login, UserEmail => "$Login\@schulen.example.test", ValidID => 1, UserID => 1 ), "customer $Login" );
}
print "realsys setup: done\n";
