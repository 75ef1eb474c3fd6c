# realsys harness (kennzahl): RT's standalone server on 127.0.0.1:8085, no mail, and the lifecycle
# "schul-it" whose statuses carry the scenario's status classes:
#   new -> new, open -> open, waiting-customer -> waiting_customer, waiting-vendor -> waiting_vendor,
#   resolved -> resolved, closed -> closed, rejected -> cancelled
Set($WebPort, 8085);
Set($WebDomain, '127.0.0.1');
Set($WebPath, '');
Set($WebBaseURL, 'http://127.0.0.1:8085');
Set($CanonicalizeRedirectURLs, 1);
Set($RestrictReferrer, 0);
Set(@ReferrerWhitelist, qw(localhost:8085 127.0.0.1:8085));
Set($LogToSTDERR, 'warning');
Set($LogToSyslog, undef);
Set($LogToFile, undef);
# no MTA: outgoing mail goes to a temp file
Set($MailCommand, 'testfile');
# Priorities: kennzahl priority 1 (critical) .. 4 (low) as RT numbers 100/70/40/10
Set(%PriorityAsString, Default => { 'niedrig' => 10, 'mittel' => 40, 'hoch' => 70, 'kritisch' => 100 });
Set(%Lifecycles,
    'schul-it' => {
        initial  => ['new'],
        active   => ['open', 'waiting-customer', 'waiting-vendor'],
        inactive => ['resolved', 'closed', 'rejected', 'deleted'],
        defaults => {
            on_create => 'new',
            on_merge  => 'resolved',
            approved  => 'open',
            denied    => 'rejected',
            reminder_on_open    => 'open',
            reminder_on_resolve => 'resolved',
        },
        transitions => {
            ''                 => ['new', 'open', 'resolved'],
            'new'              => ['open', 'waiting-customer', 'waiting-vendor', 'resolved', 'closed', 'rejected', 'deleted'],
            'open'             => ['new', 'waiting-customer', 'waiting-vendor', 'resolved', 'closed', 'rejected', 'deleted'],
            'waiting-customer' => ['new', 'open', 'waiting-vendor', 'resolved', 'closed', 'rejected', 'deleted'],
            'waiting-vendor'   => ['new', 'open', 'waiting-customer', 'resolved', 'closed', 'rejected', 'deleted'],
            'resolved'         => ['new', 'open', 'waiting-customer', 'waiting-vendor', 'closed', 'rejected', 'deleted'],
            'closed'           => ['new', 'open', 'waiting-customer', 'waiting-vendor', 'resolved', 'rejected', 'deleted'],
            'rejected'         => ['new', 'open', 'waiting-customer', 'waiting-vendor', 'resolved', 'closed', 'deleted'],
            'deleted'          => ['new', 'open', 'waiting-customer', 'waiting-vendor', 'resolved', 'closed', 'rejected'],
        },
        rights => { '* -> deleted' => 'DeleteTicket', '* -> *' => 'ModifyTicket' },
        actions => [],
    },
);
1;
