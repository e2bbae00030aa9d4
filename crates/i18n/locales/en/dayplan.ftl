# The day plan (issue 19 items 6 and 8, decision 0047): the resident parent's drop-off and
# pick-up, staff's talks with each parent, who is on the premises, entrances and interpreters.
# Keys match cy/dayplan.ftl one for one.

dayplan-away = Off the premises:
dayplan-interpreter-need = Needs an interpreter:
dayplan-interpreter-none = None booked yet.
dayplan-interpreter-booked = Booked:
dayplan-timeline-caption = The day plan: who is on the premises
dayplan-timeline-time = Time
dayplan-timeline-what = What happens
dayplan-timeline-on-premises = Adults on the premises after it
dayplan-moment-drop-off = arrives with the child (drop-off)
dayplan-moment-arrives = arrives
dayplan-moment-talk-before = talks with staff, alone, before the session
dayplan-moment-departs = leaves the premises
dayplan-moment-returns = comes back for the pick-up
dayplan-moment-talk-after = talks with staff, alone, after the session
dayplan-moment-pick-up = leaves with the child (pick-up)
dayplan-moment-leaves = leaves
dayplan-moment-session-starts = The session starts
dayplan-moment-session-ends = The session ends
dayplan-register-departed = Left the premises after the drop-off
dayplan-register-returned = Came back for the pick-up
dayplan-own-entrance = Your entrance:
dayplan-own-away = Please leave after the drop-off and come back for the pick-up:
dayplan-own-interpreter = Your interpreter:
dayplan-resident-stays = The resident parent stays during the session
dayplan-resident-stays-hint = Only where the order or the case allows it. Otherwise they drop the child off, leave, and come back for the pick-up; staff talk with each parent alone before and after.
dayplan-interpreters-heading = Interpreters
dayplan-interpreter-saved = The interpreter is saved for this session.
dayplan-interpreter-for = Interpreter for
dayplan-interpreter-no-one = No interpreter
dayplan-interpreter-save = Save the interpreter
dayplan-interpreters-title = The organisation's interpreters
dayplan-interpreters-lead = Interpreters are booked for a session from its booking page, like a room: one booked at the same time elsewhere is refused.
dayplan-interpreters-none = No interpreters yet.
dayplan-interpreter-name = Name
dayplan-interpreter-languages = Languages they interpret
dayplan-interpreter-languages-hint = Separate them with commas, like Polish, Romanian
dayplan-interpreter-add = Add an interpreter
dayplan-interpreter-added = The interpreter is added.
dayplan-interpreters-link = The organisation's interpreters
