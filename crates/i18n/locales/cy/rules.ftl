# The booking rules (issue 19, decision 0043) in Welsh. Keys match en/rules.ftl one for one.
#
# REVIEW: not yet translated. The English words stand here until a Welsh speaker writes them.

rules-heading = What this case may book
rules-service-today = Contact today is { $service }.
rules-no-service = The case has no accepted service yet.
rules-changes = Changes of service, each from its date:
rules-missing-lead = Contact cannot be booked until:
rules-ready = Contact can be booked.
rules-held = On hold (the service is suspended)
rules-coming-note = A suspension puts contact sessions on hold: cancel each one from its booking page (cancelled by the centre, nothing is forfeited), or keep it held until the service resumes. Ending the service cancels them by the centre.
rules-suspended = The service is suspended: no contact can be booked. Resuming it makes the sessions on hold live again.
rules-resume = Resume the service

# The organisation's booking rules, set by its administrator (/settings/booking-rules).
# REVIEW: a first Welsh text, to be checked by a Welsh speaker.
booking-rules-title = Rheolau archebu
booking-rules-lead = Beth sy'n rhaid ei wneud cyn y gellir archebu sesiynau cyswllt teulu. Mae'r un rheolau'n berthnasol i archebion a wneir yn y tudalennau hyn a thrwy'r API.
booking-rules-previsits = Cyn-ymweliadau cyn cyswllt
booking-rules-previsits-hint = Gwrthodir sesiynau cyswllt nes bod pob oedolyn ar yr achos wedi cael ei gyn-ymweliad ac wedi cytuno i reolau'r ganolfan. Mae rhai canolfannau'n caniatáu ymweliad â chymorth cyntaf ar unwaith. Cofnodir troi hyn ymlaen neu i ffwrdd yn y log archwilio.
booking-rules-previsits-yes = Archebu cyswllt dim ond ar ôl cyn-ymweliad pob oedolyn
booking-rules-save = Cadw'r rheolau archebu
booking-rules-saved = Mae'r rheolau archebu wedi'u cadw.
booking-rules-stale-title = Mae rhywun arall wedi newid y rheolau archebu
booking-rules-stale = Cawsant eu newid ar ôl i chi agor y dudalen hon, felly ni chadwyd eich newid. Mae'r dudalen hon bellach yn eu dangos fel y maent: gwiriwch nhw a chadw eto os ydych am eu newid o hyd.
