# Cynllun y diwrnod (issue 19 items 6 and 8, decision 0047). Keys match en/dayplan.ftl one for one.
# Staff pages: the English text is kept where it has not been translated yet, each marked REVIEW.

# REVIEW
dayplan-away = Off the premises:
# REVIEW
dayplan-interpreter-need = Needs an interpreter:
# REVIEW
dayplan-interpreter-none = None booked yet.
# REVIEW
dayplan-interpreter-booked = Booked:
# REVIEW
dayplan-timeline-caption = The day plan: who is on the premises
dayplan-timeline-time = Amser
# REVIEW
dayplan-timeline-what = What happens
# REVIEW
dayplan-timeline-on-premises = Adults on the premises after it
# REVIEW
dayplan-moment-drop-off = arrives with the child (drop-off)
dayplan-moment-arrives = yn cyrraedd
# REVIEW
dayplan-moment-talk-before = talks with staff, alone, before the session
# REVIEW
dayplan-moment-departs = leaves the premises
# REVIEW
dayplan-moment-returns = comes back for the pick-up
# REVIEW
dayplan-moment-talk-after = talks with staff, alone, after the session
# REVIEW
dayplan-moment-pick-up = leaves with the child (pick-up)
dayplan-moment-leaves = yn gadael
# REVIEW
dayplan-moment-session-starts = The session starts
# REVIEW
dayplan-moment-session-ends = The session ends
# REVIEW
dayplan-register-departed = Left the premises after the drop-off
# REVIEW
dayplan-register-returned = Came back for the pick-up
dayplan-own-entrance = Eich mynedfa:
# REVIEW
dayplan-own-away = Please leave after the drop-off and come back for the pick-up:
# REVIEW
dayplan-own-interpreter = Your interpreter:
# REVIEW
dayplan-resident-stays = The resident parent stays during the session
# REVIEW
dayplan-resident-stays-hint = Only where the order or the case allows it. Otherwise they drop the child off, leave, and come back for the pick-up; staff talk with each parent alone before and after.
# REVIEW
dayplan-interpreters-heading = Interpreters
# REVIEW
dayplan-interpreter-saved = The interpreter is saved for this session.
# REVIEW
dayplan-interpreter-for = Interpreter for
# REVIEW
dayplan-interpreter-no-one = No interpreter
# REVIEW
dayplan-interpreter-save = Save the interpreter
# REVIEW
dayplan-interpreters-title = The organisation's interpreters
# REVIEW
dayplan-interpreters-lead = Interpreters are booked for a session from its booking page, like a room: one booked at the same time elsewhere is refused.
# REVIEW
dayplan-interpreters-none = No interpreters yet.
dayplan-interpreter-name = Enw
# REVIEW
dayplan-interpreter-languages = Languages they interpret
# REVIEW
dayplan-interpreter-languages-hint = Separate them with commas, like Polish, Romanian
# REVIEW
dayplan-interpreter-add = Add an interpreter
# REVIEW
dayplan-interpreter-added = The interpreter is added.
# REVIEW
dayplan-interpreters-link = The organisation's interpreters
