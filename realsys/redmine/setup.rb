# realsys harness: Redmine objects of the scenario, run once with `rails runner` (redmine/install.sh).
# Idempotent (find_or_create). Prints API_KEY=… (admin) and FETCH_KEY=… (the read-only account "kennzahl").
#
#   schools   -> projects (identifier = school id in lower case, name = school name)
#   queues    -> assignee groups "1st Level", "2nd Level", "Vendor Druckerservice", "Vendor MDM", each with its
#                technical account (l1-agent, l2-agent, vendor-druck, vendor-mdm); member of every project as Manager
#   services  -> issue categories of every project (Netzwerk/WLAN, Endgeräte, …)
#   types     -> trackers "Störung" (incident), "Serviceanfrage" (service request)
#   statuses  -> New, In Progress (open), Feedback (waiting for customer), Waiting for vendor (added),
#                Resolved, Closed, Rejected (cancelled)
#   priority  -> Urgent (1), High (2), Normal (3), Low (4)
#   effort    -> time entries, activity "Support" (added)
Setting.rest_api_enabled = 1
Setting.issue_group_assignment = 1
Setting.default_language = "en"
Setting.mail_handler_api_enabled = 0
Setting.notified_events = []

admin = User.find_by_login("admin")
admin.password = "admin12345"
admin.password_confirmation = "admin12345"
admin.must_change_passwd = false
admin.save!

def status(name, closed, pos)
  IssueStatus.find_by_name(name) || IssueStatus.create!(name: name, is_closed: closed, position: pos)
end
all_statuses = ["New", "In Progress", "Feedback", "Resolved", "Closed", "Rejected"].map { |n| IssueStatus.find_by_name!(n) }
all_statuses << status("Waiting for vendor", false, 7)
new_status = IssueStatus.find_by_name!("New")

trackers = ["Störung", "Serviceanfrage"].map do |n|
  Tracker.find_by_name(n) || Tracker.create!(name: n, default_status: new_status, is_in_roadmap: false)
end

manager = Role.find_by_name!("Manager")
roles = [manager]
trackers.each do |t|
  roles.each do |r|
    ([nil] + all_statuses).each do |from|
      all_statuses.each do |to|
        next if from == to
        WorkflowTransition.find_or_create_by!(tracker_id: t.id, role_id: r.id,
                                               old_status_id: (from ? from.id : 0), new_status_id: to.id)
      end
    end
  end
end

TimeEntryActivity.find_by_name("Support") || TimeEntryActivity.create!(name: "Support", active: true)

def user(login, first, last)
  u = User.find_by_login(login) || User.new
  u.login = login
  u.firstname = first
  u.lastname = last
  u.mail = "#{login}@example.test"
  u.password = "realsys-agent"
  u.password_confirmation = "realsys-agent"
  u.must_change_passwd = false
  u.status = User::STATUS_ACTIVE
  u.mail_notification = "none"
  u.save!
  u
end

teams = { "1st Level" => "l1-agent", "2nd Level" => "l2-agent",
          "Vendor Druckerservice" => "vendor-druck", "Vendor MDM" => "vendor-mdm" }
groups = teams.map do |gname, login|
  u = user(login, gname, "(technical account)")
  g = Group.find_by_lastname(gname) || Group.create!(lastname: gname)
  g.users << u unless g.users.include?(u)
  g
end
reader = user("kennzahl", "kennzahl fetch", "(read only)")

schools = [["gs-alt", "Grundschule Altstadt"], ["gs-nord", "Grundschule Nordviertel"],
           ["ge-mitte", "Gesamtschule Mitte"], ["rs-park", "Realschule Am Park"],
           ["gy-stadt", "Städtisches Gymnasium"], ["bk-tech", "Berufskolleg Technik"]]
services = ["Netzwerk/WLAN", "Endgeräte", "Drucker/Peripherie", "Software", "Schulserver"]
# the read-only account sees issues, private notes (internal notes, e.g. a vendor's acknowledgement) and time
reader_role = Role.find_by_name("Reader (kennzahl)") || Role.new(name: "Reader (kennzahl)")
reader_role.permissions = [:view_issues, :view_private_notes, :view_time_entries]
reader_role.assignable = false
reader_role.save!
schools.each do |ident, name|
  p = Project.find_by_identifier(ident) || Project.new(identifier: ident)
  p.name = name
  p.is_public = false
  p.trackers = trackers
  p.enabled_module_names = ["issue_tracking", "time_tracking"]
  p.save!
  services.each { |s| IssueCategory.find_by(project_id: p.id, name: s) || IssueCategory.create!(project: p, name: s) }
  groups.each do |g|
    next if Member.find_by(project_id: p.id, user_id: g.id)
    m = Member.new(project: p, principal: g)
    m.role_ids = [manager.id]
    m.save!
  end
  m = Member.find_by(project_id: p.id, user_id: reader.id) || Member.new(project: p, principal: reader)
  m.role_ids = [reader_role.id]
  m.save!
end
reader.reload

puts "API_KEY=#{admin.api_key}"
puts "FETCH_KEY=#{reader.api_key}"
