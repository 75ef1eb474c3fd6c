# realsys handoff scenario: the vendor's side in Redmine, run with `rails runner` by handoff/seed.sh (idempotent).
# Project st-realsys (the vendor's project for its customer, the school authority) with tracker Störung,
# categories Drucker and Kopierer, issue custom fields Schule (school id) and Kundenreferenz (the customer's
# ticket number), the vendor's team group "Vendor Druckerservice" as Manager, and the account the vendor gives
# its customer for the export: kunde-realsys, role "Reader (kennzahl)" in this project only (the main
# scenario's reader never sees it). Prints HANDOFF_KEY=<kunde-realsys's API key>.
tracker = Tracker.find_by_name!("Störung")
manager = Role.find_by_name!("Manager")
reader_role = Role.find_by_name!("Reader (kennzahl)")
p = Project.find_by_identifier("st-realsys") || Project.new(identifier: "st-realsys")
p.name = "Schulträger Realsys-Kommune"
p.is_public = false
p.trackers = [tracker]
p.enabled_module_names = ["issue_tracking"]
p.save!
["Drucker", "Kopierer"].each { |c| IssueCategory.find_by(project_id: p.id, name: c) || IssueCategory.create!(project: p, name: c) }
["Schule", "Kundenreferenz"].each do |n|
  cf = IssueCustomField.find_by_name(n) || IssueCustomField.new(name: n, field_format: "string")
  cf.is_for_all = false
  cf.visible = true
  cf.trackers = [tracker] unless cf.trackers.include?(tracker)
  cf.projects << p unless cf.projects.include?(p)
  cf.save!
end
g = Group.find_by_lastname!("Vendor Druckerservice")
unless Member.find_by(project_id: p.id, user_id: g.id)
  m = Member.new(project: p, principal: g)
  m.role_ids = [manager.id]
  m.save!
end
u = User.find_by_login("kunde-realsys") || User.new
u.login = "kunde-realsys"
u.firstname = "Schulträger"
u.lastname = "(API account)"
u.mail = "kunde-realsys@example.test"
u.password = "realsys-fetch"
u.password_confirmation = "realsys-fetch"
u.must_change_passwd = false
u.status = User::STATUS_ACTIVE
u.mail_notification = "none"
u.save!
m = Member.find_by(project_id: p.id, user_id: u.id) || Member.new(project: p, principal: u)
m.role_ids = [reader_role.id]
m.save!
u.reload
puts "HANDOFF_KEY=#{u.api_key}"
