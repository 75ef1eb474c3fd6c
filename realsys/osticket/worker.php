<?php
// seed.py's worker: drives osTicket's own ticket model (the code the staff panel runs on "Change Status",
// "Transfer", "Post Reply", "Post Internal Note") from the CLI, one JSON request per line on stdin, one JSON
// answer per line on stdout. osTicket's API can only create tickets (seed.py does that over HTTP); everything else
// goes through here.
//
// Time: osTicket takes its instants from MariaDB's NOW() (thread events, thread entries, ticket dates). Before an
// action the worker sets its own MariaDB session's clock to the scripted instant (SET timestamp = epoch), the
// per-session counterpart of libfaketime: the shared MariaDB server and its other databases are untouched.
//
// Record: every answer lists the rows the request inserted into the ticket tables (id and date columns, read back
// after the action), so that post-seed.sh can backdate what the API wrote with the real clock and prove that
// every date equals the script.
//
// requests: {"op":"mark"}                                  -> max ids of the recorded tables
//           {"op":"collect","mark":{...}}                  -> rows inserted since the mark (after an API creation)
//           {"op":"act","number":"123456","staff":"l1-agent","at":1743490000,
//            "do":"status","status":"Open"} | "do":"transfer","dept":"2nd Level" | "do":"reply","text":"…"
//            | "do":"note","title":"…","text":"…"
// usage: php worker.php   (cwd = the osTicket tree, as www-data)
chdir(getenv('OST_HOME') ?: getcwd());
define('DISABLE_SESSION', true);
require_once 'main.inc.php';
require_once INCLUDE_DIR . 'class.ticket.php';
require_once INCLUDE_DIR . 'class.forms.php';
require_once INCLUDE_DIR . 'class.staff.php';
require_once INCLUDE_DIR . 'class.dept.php';

// the tables an action writes, with their key and date columns
$TABLES = array(
    TICKET_TABLE => array('ticket_id', array('created', 'updated', 'lastupdate', 'closed', 'reopened', 'duedate', 'est_duedate')),
    THREAD_TABLE => array('id', array('created', 'lastmessage', 'lastresponse')),
    THREAD_ENTRY_TABLE => array('id', array('created', 'updated')),
    THREAD_EVENT_TABLE => array('id', array('timestamp')),
    FORM_ENTRY_TABLE => array('id', array('created', 'updated')),
    TABLE_PREFIX . 'thread_referral' => array('id', array('created')),
);

function q1($sql) {
    $res = db_query($sql);
    if (!$res) throw new Exception('SQL failed: ' . db_error() . " ($sql)");
    return $res;
}
function mark() {
    global $TABLES;
    $m = array();
    foreach ($TABLES as $t => $spec)
        $m[$t] = (int) db_result(q1("SELECT COALESCE(MAX(`{$spec[0]}`), 0) FROM `$t`"));
    return $m;
}
function collect($m) {
    global $TABLES;
    $out = array();
    foreach ($TABLES as $t => $spec) {
        list($pk, $cols) = $spec;
        $res = q1("SELECT `$pk`, `" . implode('`, `', $cols) . "` FROM `$t` WHERE `$pk` > " . (int) $m[$t] . " ORDER BY `$pk`");
        while ($row = db_fetch_array($res)) {
            $id = $row[$pk];
            unset($row[$pk]);
            $out[$t][] = array('id' => (int) $id, 'dates' => $row);
        }
    }
    return $out;
}

function act($r) {
    global $thisstaff;
    // osTicket's ORM keeps loaded objects; start every action from the database
    ModelInstanceManager::flushCache();
    $thisstaff = Staff::lookup(array('username' => $r['staff']));
    if (!$thisstaff) throw new Exception("no agent {$r['staff']}");
    $ticket = Ticket::lookupByNumber($r['number']);
    if (!$ticket) throw new Exception("no ticket {$r['number']}");
    $errors = array();
    $ok = false;
    switch ($r['do']) {
    case 'status':
        $status = TicketStatus::lookup(array('name' => $r['status']));
        if (!$status) throw new Exception("no status {$r['status']}");
        if ($ticket->getStatusId() == $status->getId()) throw new Exception("ticket {$r['number']} is already {$r['status']}");
        $ok = $ticket->setStatus($status, '', $errors);
        break;
    case 'transfer':
        $dept = Dept::lookup(array('name' => $r['dept']));
        if (!$dept) throw new Exception("no department {$r['dept']}");
        $form = new TransferForm(array('dept' => $dept->getId(), 'comments' => ''));
        $ok = $ticket->transfer($form, $errors, false);
        break;
    case 'reply':
        $ok = (bool) $ticket->postReply(array('response' => $r['text'], 'reply-to' => 'all', 'signature' => 'none',
                                              'ip_address' => '127.0.0.1'), $errors, false);
        break;
    case 'note':
        $ok = (bool) $ticket->postNote(array('title' => $r['title'], 'note' => $r['text'], 'ip_address' => '127.0.0.1'),
                                       $errors, $thisstaff, false);
        break;
    default:
        throw new Exception("unknown action {$r['do']}");
    }
    if (!$ok) throw new Exception("{$r['do']} failed for {$r['number']}: " . json_encode($errors));
}

while (($line = fgets(STDIN)) !== false) {
    $line = trim($line);
    if ($line === '') continue;
    $r = json_decode($line, true);
    try {
        switch ($r['op']) {
        case 'mark':
            $ans = array('ok' => true, 'mark' => mark());
            break;
        case 'collect':
            $ans = array('ok' => true, 'rows' => collect($r['mark']));
            break;
        case 'act':
            q1('SET timestamp = ' . (int) $r['at']);
            $m = mark();
            act($r);
            $rows = collect($m);
            q1('SET timestamp = DEFAULT');
            $ans = array('ok' => true, 'rows' => $rows);
            break;
        default:
            throw new Exception("unknown op {$r['op']}");
        }
    } catch (Throwable $e) {
        @db_query('SET timestamp = DEFAULT');
        $ans = array('ok' => false, 'error' => $e->getMessage());
    }
    echo json_encode($ans), "\n";
    flush();
}
