<?php
// The scenario's objects in a freshly installed osTicket 1.18.1, through osTicket's own model code (the classes the
// admin panel uses), run once by install.sh as www-data from the osTicket tree:
//   departments = the scenario's queues (1st Level, 2nd Level, Vendor Druckerservice, Vendor MDM), no SLA plan;
//   teams of the same names; agents l1-agent, l2-agent, vendor-druck, vendor-mdm (role "All Access" in every
//   department, member of their team, primary department = their team's);
//   ticket statuses: New (state open, the default status of new tickets), Open, Waiting for customer and Waiting
//   for vendor (state open), Resolved, Closed (closed), Cancelled (closed, not reopenable);
//   help topics = the services (Netzwerk/WLAN, Endgeräte, Drucker/Peripherie, Software, Schulserver), routed to
//   1st Level; organisations = the schools (name = the school's name), one user per school (the function account
//   schule-<id>@schulen.example.test, "Schule <ID>"); the ticket form's choice field "Typ" (Störung /
//   Serviceanfrage); the queue "Alle Tickets" (every ticket, with the organisation among its export columns);
//   the API key for 127.0.0.1; settings: no alerts, notices or auto-responses (no mail server), no e-mail
//   verification (no DNS), the helpdesk URL on :8088, no default SLA plan.
// usage (install.sh): php setup.php   (cwd = the osTicket tree)
chdir(getenv('OST_HOME') ?: getcwd());
require_once 'main.inc.php';
foreach (array('class.staff.php', 'class.dept.php', 'class.team.php', 'class.topic.php', 'class.list.php',
               'class.organization.php', 'class.user.php', 'class.dynamic_forms.php', 'class.queue.php',
               'class.api.php', 'class.sla.php') as $f)
    require_once INCLUDE_DIR . $f;

function fail($what, $errors = array()) {
    fwrite(STDERR, "setup: $what failed: " . json_encode($errors) . "\n");
    exit(1);
}
function say($s) { echo "$s\n"; }

$QUEUES = array('1st Level', '2nd Level', 'Vendor Druckerservice', 'Vendor MDM');
$AGENTS = array('1st Level' => 'l1-agent', '2nd Level' => 'l2-agent',
                'Vendor Druckerservice' => 'vendor-druck', 'Vendor MDM' => 'vendor-mdm');
$SERVICES = array('Netzwerk/WLAN', 'Endgeräte', 'Drucker/Peripherie', 'Software', 'Schulserver');
$SCHOOLS = array();
$doc = json_decode(file_get_contents(getenv('REALSYS_SCENARIO') ?: __DIR__ . '/scenario.json'), true);
if (!$doc) fail('reading the scenario (REALSYS_SCENARIO)');
foreach ($doc['schools'] as $s) $SCHOOLS[$s['id']] = $s['name'];

// --- settings first (e-mail verification off before any address is validated) --------------------------------
global $cfg;
$settings = array(
    'helpdesk_url' => 'http://127.0.0.1:8088/',
    'default_sla_id' => 0,
    'verify_email_addrs' => 0,
    'ticket_alert_active' => 0, 'message_alert_active' => 0, 'note_alert_active' => 0,
    'transfer_alert_active' => 0, 'assigned_alert_active' => 0, 'overdue_alert_active' => 0,
    'ticket_notice_active' => 0, 'ticket_autoresponder' => 0, 'message_autoresponder' => 0,
    'send_sql_errors' => 0, 'send_sys_errors' => 0, 'send_login_errors' => 0,
    'enable_auto_cron' => 0,
);
foreach ($settings as $k => $v)
    if ($cfg->update($k, $v) === false) fail("setting $k");
// Config::update() of a key the installer did not write stores it but leaves the loaded config's default: reload
$GLOBALS['cfg'] = $cfg = new OsticketConfig();
if ($cfg->verifyEmailAddrs()) fail('turning off e-mail verification');
say('settings: ' . json_encode($settings));

// --- departments: the installer's three renamed, a fourth made; no SLA plan anywhere --------------------------
$renamed = array(1 => '1st Level', 2 => '2nd Level', 3 => 'Vendor Druckerservice');
$depts = array();
foreach ($renamed as $id => $name) {
    $d = Dept::lookup($id);
    if (!$d) fail("department $id");
    $d->name = $name;
    $d->sla_id = 0;
    $d->ispublic = 1;
    $d->signature = "Schul-IT: $name";
    if (!$d->save()) fail("department $name");
    $depts[$name] = $d;
}
$errors = array();
$d = Dept::create();   // as the admin panel: an empty department, then update() with the form's values
if (!$d->update(array('name' => 'Vendor MDM', 'pid' => 0, 'ispublic' => 1, 'sla_id' => 0, 'status' => 'active',
                      'signature' => 'Schul-IT: Vendor MDM', 'group_membership' => 1, 'assignment_flag' => 'all'),
                $errors))
    fail('department Vendor MDM', $errors);
$depts['Vendor MDM'] = $d;
say('departments: ' . implode(', ', array_map(function ($d) { return $d->getId() . '=' . $d->getName(); }, $depts)));

// the administrator (who exports) sees every department: access to the new one too
$admin = Staff::lookup(array('username' => 'ostadmin'));
$access = array();
foreach ($depts as $n => $d)
    if ($d->getId() != $admin->getDeptId()) $access[] = array($d->getId(), 1, false);
$errors = array();
$admin->updateAccess($access, $errors);
if ($errors) fail('access of ostadmin', $errors);

// --- teams ------------------------------------------------------------------------------------------------------
$teams = array();
foreach ($QUEUES as $i => $name) {
    if ($i == 0 && ($t = Team::lookup(array('name' => 'Level I Support')))) {
        $t->name = $name;
        $t->notes = 'Technisches Team der Schul-IT';
        $t->save();
    } else {
        $errors = array();
        $t = Team::__create(array('name' => $name, 'flags' => 1, 'notes' => 'Technisches Team der Schul-IT'), $errors);
        $t = Team::lookup(array('name' => $name));
    }
    if (!$t) fail("team $name");
    $teams[$name] = $t;
}
say('teams: ' . implode(', ', array_map(function ($t) { return $t->getId() . '=' . $t->getName(); }, $teams)));

// --- agents (technical accounts; no person names) ---------------------------------------------------------------
foreach ($AGENTS as $team => $login) {
    $vars = array(
        'username' => $login, 'firstname' => 'Technisches Konto', 'lastname' => $team,
        'email' => "$login@schul-it.example.test", 'dept_id' => $depts[$team]->getId(), 'role_id' => 1,
        'passwd1' => 'realsys-agent', 'passwd2' => 'realsys-agent', 'isvisible' => 1, 'backend' => '',
        'dept_access' => array(), 'dept_access_role' => array(), 'teams' => array($teams[$team]->getId()),
        'perms' => array(),
    );
    foreach ($depts as $n => $d) {
        if ($n == $team) continue;
        $vars['dept_access'][] = $d->getId();
        $vars['dept_access_role'][$d->getId()] = 1;   // All Access
    }
    $staff = Staff::create();
    $errors = array();
    if (!$staff->update($vars, $errors)) fail("agent $login", $errors);
    say("agent $login: staff_id " . $staff->getId() . ", team $team");
}

// --- ticket statuses --------------------------------------------------------------------------------------------
$made = array(
    array('New', 'open', 0, 'Neu gemeldet, noch nicht bearbeitet (Status neuer Tickets).', array()),
    array('Waiting for customer', 'open', 2, 'Wartet auf die Schule.', array()),
    array('Waiting for vendor', 'open', 2, 'Wartet auf den Dienstleister.', array()),
    array('Cancelled', 'closed', 4, 'Storniert (kein Fehler, zurückgezogen, doppelt).',
          array('allowreopen' => false, 'reopenstatus' => 0)),
);
$status = array();
foreach ($made as $m) {
    list($name, $state, $sort, $desc, $props) = $m;
    $s = TicketStatus::__create(array('name' => $name, 'state' => $state, 'mode' => 1, 'flags' => 0,
                                      'sort' => $sort, 'properties' => $props + array('description' => $desc)));
    if (!$s) fail("status $name");
    $status[$name] = $s;
}
foreach (TicketStatus::objects() as $s) say('status ' . $s->getId() . ': ' . $s->getName() . ' (' . $s->getState() . ')');

// --- help topics = services (the installer's four removed) ------------------------------------------------------
foreach (Topic::objects() as $t) $t->delete();
foreach ($SERVICES as $i => $name) {
    $errors = array();
    $t = Topic::create();   // as the admin panel: an empty topic, then update() with the form's values
    $t->update(array('topic' => $name, 'topic_pid' => 0, 'dept_id' => $depts['1st Level']->getId(),
                               'priority_id' => 0, 'sla_id' => 0, 'status_id' => 0, 'ispublic' => 1,
                               'status' => 'active', 'noautoresp' => 1, 'notes' => "IT-Service $name"), $errors);
    if ($errors || !$t->getId()) fail("help topic $name " . db_error(), $errors);
    $t->sort = $i + 1;
    $t->save();
    say("help topic " . $t->getId() . ": $name");
}

// --- organisations = schools, one function account per school ---------------------------------------------------
foreach ($SCHOOLS as $id => $name) {
    $org = Organization::fromVars(array('name' => $name));
    if (!$org || !$org->getId()) fail("organisation $name");
    $email = 'schule-' . strtolower($id) . '@schulen.example.test';
    $user = User::fromVars(array('name' => "Schule $id", 'email' => $email, 'org_id' => $org->getId()));
    if (!$user) fail("user $email");
    say("organisation " . $org->getId() . ": $name; user " . $user->getId() . ": $email");
}

// --- the ticket form's field "Typ" -----------------------------------------------------------------------------
$tform = TicketForm::objects()->one();
$field = DynamicFormField::create(array(
    'form_id' => $tform->get('id'), 'type' => 'choices', 'label' => 'Typ', 'name' => 'typ', 'sort' => 4,
    'flags' => 13057,   // enabled, optional, visible and editable for agents and clients
    'configuration' => array('choices' => "incident:Störung\nservice_request:Serviceanfrage",
                             'default' => 'incident', 'multiselect' => false, 'prompt' => ''),
    'hint' => 'Störung oder Serviceanfrage'));
if (!$field->save()) fail('form field Typ');
// rebuild the ticket's materialised custom data table (ost_ticket__cdata) like the admin panel does
TicketForm::dropDynamicDataView(true);
TicketForm::ensureDynamicDataView(true);
say('ticket form field Typ: ' . $field->get('id'));

// --- the export queue "Alle Tickets" ----------------------------------------------------------------------------
$q = CustomQueue::create(array(
    'title' => 'Alle Tickets', 'parent_id' => 0, 'staff_id' => 0, 'root' => 'T', 'sort' => 20,
    'config' => json_encode(array('criteria' => array(array('status__state', 'includes',
                                    array('open' => 'Open', 'closed' => 'Closed'))), 'conditions' => array())),
    'columns_id' => 1));
if (!$q->save()) fail('queue Alle Tickets');
$exports = CustomQueue::getExportableFields();
unset($exports['cdata__typ']);
$exports['cdata__typ'] = 'Typ';
$exports['user__org__name'] = 'Organization';
$i = 0;
foreach ($exports as $path => $heading) {
    $e = QueueExport::create(array('queue_id' => $q->getId(), 'path' => $path, 'heading' => $heading, 'sort' => ++$i));
    if (!$e->save()) fail("queue export column $path");
}
say('queue ' . $q->getId() . ': Alle Tickets, export columns: ' . implode(', ', array_values($exports)));

// --- API key for 127.0.0.1 (ticket creation) --------------------------------------------------------------------
$key = getenv('OST_APIKEY') ?: 'REALSYS0123456789ABCDEF0123456789';
db_query('INSERT INTO ' . API_KEY_TABLE . ' SET isactive=1, ipaddr="127.0.0.1", apikey=' . db_input($key)
         . ', can_create_tickets=1, can_exec_cron=0, notes="realsys: ticket creation", updated=NOW(), created=NOW()')
    or fail('API key');
say('API key for 127.0.0.1');

// --- settings that name the objects made above ------------------------------------------------------------------
foreach (array('default_dept_id' => $depts['1st Level']->getId(),
               'default_ticket_status_id' => $status['New']->getId()) as $k => $v)
    if ($cfg->update($k, $v) === false) fail("setting $k");
say('default department 1st Level, default status New');
