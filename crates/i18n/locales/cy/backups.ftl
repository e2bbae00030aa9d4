# The backups page and the administrators' warning on their home page (issue 18, decision 0054).
# REVIEW: the Welsh text of these words is still to be written; until then they read in English.
backups-title = Backups
backups-intro = familytime makes a backup on its own when it is started with a backup folder (see "Backups and the restore drill" in the README). Each backup is read back to check it before it counts. The oldest are deleted beyond the number kept.
backups-none = No backup has been made on a schedule yet.
backups-started = Started
backups-outcome = Outcome
backups-file = File
backups-size = Size
backups-detail = Detail
backups-outcome-verified = Made and checked
backups-outcome-failed = Failed
backups-outcome-running = Being made
backups-audit-head = Audit log up to entry { $seq }
pager-label-backups = Pages of backups
pager-page-of-backups = page of backups
pager-of-backups = of backups
home-task-backups = Backups
home-hint-backups = The backups familytime makes on its own, and whether the last one worked
home-backup-failed-title = The last backup failed
home-backup-failed = The backup started at { $at } failed: { $why }
home-backup-unfinished-title = The last backup did not finish
home-backup-unfinished = The backup started at { $at } never finished. The server may have stopped while making it.
home-backup-none-title = No backup has been made
home-backup-none = familytime has not made a backup on its own. Start it with a backup folder, or make backups another way, so the centre's records can be restored if this machine is lost.
home-backup-see = See the backups
