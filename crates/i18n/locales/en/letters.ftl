# The words of every PDF familytime writes (issue 22): receipts, invoices, statements, the letters
# ending or suspending a service, and reports to courts. English is the source; cy/letters.ftl has
# the same keys. Names, reasons and other text someone typed are passed in as variables and never
# translated. Amounts are written £12.50 in both languages.

## Words the template adds to every document

pdf-invoice-label = INVOICE
pdf-page-of = Page { $page } of { $pages }

## Labels shared by the money papers

pdf-date = Date
pdf-to = To
pdf-amount = Amount
pdf-reference = Reference
pdf-case = Case
pdf-charity-number = Registered charity number { $number }

## A receipt

pdf-receipt-title = Receipt
pdf-receipt-from = Received from
pdf-receipt-paid-by = Paid by
pdf-receipt-payment-thanks = Payment received with thanks.
pdf-receipt-deposit-thanks = Deposit received with thanks.

## How a payment was made

pdf-method-cash = Cash
pdf-method-card = Card
pdf-method-bank_transfer = Bank transfer
pdf-method-cheque = Cheque

## A statement

pdf-statement-title = Statement
pdf-statement-for = For
pdf-statement-balance = Balance
pdf-statement-deposit-held = Deposit held
pdf-statement-entry = Entry
pdf-statement-detail = Detail

## What each entry on an account is

pdf-entry-charge = Charge
pdf-entry-payment = Payment
pdf-entry-refund = Refund
pdf-entry-waiver = Waiver
pdf-entry-credit = Taken back
pdf-entry-deposit_held = Deposit paid
pdf-entry-deposit_returned = Deposit returned
pdf-entry-deposit_forfeited = Deposit forfeited

## Where an account stands

pdf-balance-nothing = Nothing owed
pdf-balance-owed = { $amount } owed
pdf-balance-credit = { $amount } in credit

## An invoice

pdf-invoice-title = Invoice { $number }
pdf-invoice-number = Invoice number
pdf-invoice-due-by = Payment due by
pdf-invoice-balance-at = Balance due at { $date }
pdf-invoice-description = Description
pdf-invoice-total = Total
pdf-invoice-billed = Total billed
pdf-invoice-taken-back = Taken back since (sessions cancelled, charges waived)
pdf-invoice-paid-by = Paid by { $date }
pdf-invoice-balance-due = Balance due
pdf-invoice-payments-heading = Payments and balance
pdf-invoice-payments-rule = Payments pay the oldest charges first; the balance due is what this invoice's charges still owe.
pdf-invoice-how-to-pay = How to pay
pdf-invoice-quote = Please quote invoice number { $number } with your payment.
# A line of an invoice: what was charged, waived or taken back, and the session it was for.
pdf-invoice-line-charge = { $item }
pdf-invoice-line-charge-on = { $item }, { $when }
pdf-invoice-line-waived = Waived: { $reason }
pdf-invoice-line-waived-on = Waived, { $when }: { $reason }
pdf-invoice-line-taken-back = Taken back: { $reason }
pdf-invoice-line-taken-back-on = Taken back, { $when }: { $reason }

## The letters ending or suspending a service

pdf-letter-ended-title = Notice that the contact service is ending
pdf-letter-suspended-title = Notice that the contact service is suspended
pdf-letter-dear = Dear { $name },
pdf-letter-ended-decision = We are writing to tell you that { $organisation } has decided to end the contact service for { $children }. The decision takes effect on { $date }.
pdf-letter-suspended-decision = We are writing to tell you that { $organisation } has decided to suspend the contact service for { $children }. The suspension takes effect on { $date }.
pdf-letter-why = Why
pdf-letter-next = What happens next
pdf-letter-ended-next-parent = No further sessions will take place at the centre for this family after that date. Any sessions booked after it will be cancelled, and the centre will confirm this to you. If you wish to discuss this decision, please contact the centre; if there are court proceedings, you may want to tell your solicitor or the court.
pdf-letter-suspended-next-parent = No sessions will take place while the service is suspended. The centre will review the suspension and write to you again before any session is arranged. If you wish to discuss this decision, please contact the centre.
pdf-letter-ended-next-referrer = No further sessions will take place for this family after that date. Both parents have been written to separately. Please contact the centre if you need anything further for the family's proceedings.
pdf-letter-suspended-next-referrer = No sessions will take place while the service is suspended. Both parents have been written to separately. The centre will write to you again before any session is arranged.
pdf-letter-sign-off = Yours sincerely,
# The children's names joined: "Ali and Sam", "Ali, Sam and Jo".
pdf-letter-and = and
# Welsh writes "ac" before a vowel; English "and" either way.
pdf-letter-and-vowel = and
pdf-letter-the-resident = the resident parent
pdf-letter-the-visiting = the visiting parent
pdf-letter-the-referrer = the referrer

## Reports to courts and referrers: the cover page and headings, in the report's language

pdf-report-kind = Kind
pdf-report-status = Status
pdf-report-written-by = Written by
pdf-report-checked-by = Quality-checked by
pdf-report-approved = Approved
pdf-report-children = Children
pdf-report-summary = Summary
pdf-report-session-on = Session on { $when }
pdf-report-supervisor = Supervisor
pdf-report-signed-off = Signed off
pdf-report-addendum = Addendum by { $name } on { $when } (why: { $reason }):
pdf-report-hash-record = Record of { $when }: { $hash }
pdf-report-hash-report = This report: { $hash }
pdf-report-hashes = Content hashes (SHA-256), recorded in the centre's audit log when each record was signed and this report approved:
pdf-report-caveat = This report records what staff saw and heard at supervised contact. It is a factual record, not an assessment or a recommendation about contact. It was written for the person or court that asked for it and may only be used in the proceedings or work it was asked for. Do not share it further without the centre's agreement. Where a court ordered this report, it belongs to the court and goes only to those the order names.
pdf-report-kind-session = Session observation report
pdf-report-kind-summary = End-of-series summary report
pdf-report-status-draft = Draft
pdf-report-status-in_check = Waiting for a quality check
pdf-report-status-approved = Approved
pdf-report-status-released = Released
pdf-report-section-arrival = Arrival and greeting
pdf-report-section-mood = The child's mood at handover
pdf-report-section-interaction = The interaction
pdf-report-section-care = Care
pdf-report-section-boundaries = Boundaries
pdf-report-section-language = Language
pdf-report-section-interventions = Interventions
pdf-report-section-ending = The ending and goodbye
pdf-report-section-concerns = Concerns
pdf-report-section-notes = Anything else
