# Nederlands, zoals een boekhouder het schrijft. Elke id staat ook in ../en/main.ftl, met
# dezelfde waarden (een test controleert dat).

verbatim = { $text }
see-info = zie `ccv-moneybird info { $id }`

## resolve
resolve-refused = betaling #{ $id } ({ $reference }) is niet afgehandeld: { $why }
resolve-already = ze is al afgehandeld ({ $note })
resolve-booked-as = deze tool heeft ze geboekt als Moneybird-betaling { $payment }; er is niets meer af te handelen
resolve-booked = deze tool heeft ze geboekt; er is niets meer af te handelen
resolve-settling = haar boeking wordt nog afgerond: de volgende sync leest de factuur om te zien of ze aankwam
resolve-never-paid = CCV meldt haar als { $status }: ze is nooit betaald en er valt niets af te handelen
resolve-empty-note = de notitie is leeg
resolve-empty-note-hint = zeg wat er gedaan is, bv. `--note "met de hand geboekt op 02-02-2026"`
resolve-done = afgehandeld: ze staat nu in Rapportage en wordt nooit meer aangeraakt (`ccv-moneybird resolve --undo { $id }` zet haar terug)
resolve-undo-nothing = betaling #{ $id } ({ $reference }) is niet afgehandeld; er valt niets ongedaan te maken
resolve-undone = staat weer in { $tab }
event-resolved = buiten deze tool afgehandeld: { $note }
event-resolution-undone = afhandeling ongedaan gemaakt ({ $note })
see-fouten = zie `ccv-moneybird status --tab fouten`
not-a-day = `{ $text }` is geen datum: gebruik JJJJ-MM-DD of DD-MM-JJJJ, bv. 2026-11-26 of 26-11-2026

## tabbladen en tabellen
tab-open = Open
tab-rapportage = Rapportage
tab-fouten = Fouten
tab-closed = Gesloten
column-id = id
column-tab = tabblad
column-date = datum
column-amount = bedrag
column-method = methode
column-reference = CCV-referentie
column-invoice = factuur
column-reason = reden
under-invoice = factuur { $invoice }
reason-pending = in behandeling bij CCV
reason-manual-intervention = handmatige controle bij CCV: neem contact op met CCV support
reason-paid-not-booked = betaald; de volgende run boekt haar
reason-ccv-status = CCV-status { $status }
reason-resolved = afgehandeld: { $note }
reason-difference = { $booked } geboekt; { $difference } blijft op de tussenrekening
reason-rounding = { $rounding } afgeboekt als afrondingsverschil

## waarom een betaling niet geboekt is (de reden in Fouten)
rule-invoice-number = factuurnummer
rule-invoice-reference = factuurreferentie
rule-payment-reference = betalingskenmerk
refused-ambiguous = { $count } open posten passen op { $rule } ({ $matched }): { $invoices }; er is niets geboekt
refused-still-ambiguous = { $candidates }; er wordt niets geboekt tot iemand de factuur noemt
candidates-none-open = geen van de kandidaten ({ $all }) staat nog open
candidates-one-open = van de kandidaten ({ $all }) staat alleen { $open } nog open
candidates-several-open = { $count } open posten passen: { $all }
refused-booked-by-hand = factuur { $invoice } is met de hand betaald met { $amount } op { $date } (Moneybird-betaling { $payment }) nadat deze betaling binnenkwam; er is niets geboekt
refused-nothing-to-match-by = de betaling heeft geen orderreferentie of omschrijving om haar factuur aan te herkennen
refused-no-open-post = geen open factuur past bij { $said }
refused-no-open-post-either = geen open factuur past bij { $said } of { $other }
refused-already-booked = factuur { $invoice } heeft al Moneybird-betaling { $payment } met deze transactie-ID voor { $amount }, niet door deze tool gemaakt
refused-already-booked-unknown-amount = factuur { $invoice } heeft al Moneybird-betaling { $payment } met deze transactie-ID voor een onbekend bedrag, niet door deze tool gemaakt
refused-invoice-gone = factuur { $invoice } bestaat niet meer in Moneybird
refused-not-open = factuur { $invoice } is { $state } en neemt geen betaling aan
refused-currency = de betaling is in { $currency } maar factuur { $invoice } is in { $invoice_currency }
refused-exceeds-open = de betaling van { $amount } is meer dan de { $open } die nog openstaat op factuur { $invoice }
refused-partial = de betaling van { $amount } is minder dan de { $open } die openstaat op factuur { $invoice }, en deelbetalingen staan uit (booking.allow_partial)
refused-period-locked = de boekdatum { $date } valt in de periode die vergrendeld is tot en met { $locked }
refused-ledger-unknown = betaalmethode { $method } is onder [ledger_accounts] gekoppeld aan `{ $id }`, en dat is geen grootboekrekening in Moneybird; er is niets verstuurd
refused-ledger-inactive = betaalmethode { $method } is gekoppeld aan grootboekrekening { $id } (“{ $name }”), die in Moneybird niet actief is; er is niets verstuurd
refused-unreadable = de transactie van CCV is niet te lezen: { $reason }
resolution-booked-elsewhere = buiten deze tool geboekt: Moneybird-betaling { $payment } op factuur { $invoice }, gedateerd { $date }

## de geschiedenis van een betaling (info)
event-not-booked = niet geboekt: { $why } ({ $code })
event-already-ours = al geboekt in Moneybird als betaling { $payment } op factuur { $invoice }; vastgelegd, niet opnieuw geboekt
event-booked-elsewhere = Moneybird heeft haar al, buiten deze tool geboekt voor hetzelfde bedrag (betaling { $payment } op factuur { $invoice }); verwerkt, niet opnieuw geboekt
event-booking = bezig met boeken op factuur { $invoice }
event-answer-without-reference = het antwoord van Moneybird bevat niet de transactie-ID { $reference } (er staat { $said }); controleer betaling { $payment } in Moneybird
event-booked = geboekt: Moneybird-betaling { $payment }
event-outcome-unclear = uitkomst onduidelijk ({ $error }); de volgende run leest eerst de factuur voordat er iets gebeurt
event-refused-by-moneybird = Moneybird weigerde de boeking: { $why } ({ $code })
event-rounding-closed = de rest van factuur { $invoice } afgeboekt met een afrondingsbetaling van { $amount } (Moneybird-betaling { $payment })
event-rounding-refused = de afrondingsbetaling van { $amount } is geweigerd ({ $error }); op factuur { $invoice } blijft dat bedrag open
event-latest-unreadable = het laatste antwoord van CCV hierover is niet te lezen: { $reason }
event-fetched-unreadable = opgehaald bij CCV, maar niet te lezen: { $reason }
event-belongs-to-link = hoort bij betaallink { $link }
event-fetched = opgehaald bij CCV, status { $status }
event-ccv-status = CCV-status { $from } → { $to }
event-interrupted-not-there = niet in Moneybird na een onderbroken run; ze wordt opnieuw gekoppeld en geboekt
event-interrupted-found = geboekt gevonden in Moneybird (betaling { $payment }) na een onderbroken run

## runs
progress-fetching = betalingen ophalen bij CCV
progress-open-posts = open posten lezen uit Moneybird
progress-matching = koppelen
progress-booking = boeken
stop-unclear-booking = Moneybird antwoordde niet duidelijk tijdens het boeken van { $reference }: { $error }
stop-unclear-rounding = Moneybird antwoordde niet duidelijk tijdens het afboeken van factuur { $invoice } met een afrondingsbetaling: { $error }
skipped-moneybird = Moneybird { $what }
skipped-ccv-nameless = CCV-transactie zonder referentie: { $what }
sync-booked = { $reference } { $amount } geboekt op factuur { $invoice }
sync-booked-more = … en nog { $count }; `ccv-moneybird status --tab rapportage` toont ze allemaal.
sync-not-booked = { $count ->
        [one] { $count } betaling kon niet geboekt worden (tabblad Fouten):
       *[other] { $count } betalingen konden niet geboekt worden (tabblad Fouten):
    }
sync-back-in-fouten = { $count ->
        [one] { $count } geboekte betaling staat weer in Fouten (haar boeking staat of is in Moneybird gewijzigd):
       *[other] { $count } geboekte betalingen staan weer in Fouten (hun boekingen staan of zijn in Moneybird gewijzigd):
    }
log-cannot-open = kan het logboek { $path } niet openen: { $error }
log-cannot-open-hint = geef --log een bestand in een map waarin u mag schrijven (of laat --log weg)
schedule-nothing-to-remove = Er is geen planning van deze configuratie geïnstalleerd; er is niets veranderd.
schedule-removed-cron = { $count } regel(s) van deze configuratie uit uw crontab verwijderd; de andere regels zijn gebleven zoals ze waren.
schedule-removed-systemd = De timers gestopt en { $count } unitbestand(en) uit { $dir } verwijderd.
doctor-schedule-elsewhere = de geïnstalleerde cronregels draaien een ander programma, configuratie, status of logboek dan deze shell zou doen
doctor-schedule-elsewhere-fix = voer `ccv-moneybird schedule --install` opnieuw uit vanuit de shell die u heeft ingericht (`ccv-moneybird schedule` toont de regels)
sync-first-window = Eerste run: CCV-betalingen bekeken die sinds { $day } zijn aangemaakt ([booking] first_sync_days). Oudere: `ccv-moneybird sync --since { $earlier }`.
warning-prefix = waarschuwing:
credentials-readable = { $path } is leesbaar voor anderen (modus { $mode }) en bevat geheimen: voer `chmod 600 { $path }` uit
sync-see-fouten = `ccv-moneybird status --tab fouten` toont de lijst.
amount-unreadable = { $amount } (onleesbaar, zoals CCV het stuurde)
sync-payout-needs-a-look = Uitbetaling { $reference } moet bekeken worden: { $why } (zie `ccv-moneybird payouts`)
light-payouts-ok = { $waiting ->
    [0] elke uitbetaling is gekoppeld
    [one] 1 uitbetaling wacht op haar bankregel
   *[other] { $waiting } uitbetalingen wachten op hun bankregels
    }
light-payouts-attention = { $look } te bekijken, { $late } wachten al meer dan 3 dagen op de bankregel
light-payouts-fix = voer `ccv-moneybird payouts` uit om te zien welke en waarom
light-payouts-name = Uitbetalingen
sync-left-out = weggelaten, niet te lezen: { $what }
dry-would-book = zou { $reference } { $amount } boeken op factuur { $invoice } met datum { $date }
dry-would-not-book = zou { $reference } { $amount } niet boeken: { $code }: { $message }
dry-nothing = Niets te boeken.
dry-totals = Totalen (proefrun: er is niets geschreven, hier noch in Moneybird):
dry-outcome-book = zou boeken
dry-outcome-already = al in Moneybird

## fouten van een run
error-no-administration = het Moneybird-token heeft geen toegang tot administratie { $id }
error-no-administration-hint = controleer `administration_id` onder [moneybird], of voer `ccv-moneybird connect moneybird` opnieuw uit
error-moneybird-token = Moneybird weigerde het token: { $message }
error-moneybird-token-hint = voer `ccv-moneybird connect moneybird` opnieuw uit (of controleer MONEYBIRD_TOKEN); er is niets verloren
error-ccv-key = CCV weigerde de API-sleutel (401)
error-ccv-key-hint = voer `ccv-moneybird connect ccv` opnieuw uit met een geldige sleutel (of controleer CCV_API_KEY)
error-ccv-blocked = CCV blokkeerde het verzoek (403): { $body }
error-ccv-blocked-hint = CCV blokkeert onbekende IP-adressen; vraag CCV support deze machine toe te laten
error-ccv-fetch = kan de betalingen niet ophalen bij CCV
error-moneybird-request = het verzoek aan Moneybird is mislukt

## retry
retry-refused = betaling #{ $id } ({ $reference }) wordt niet opnieuw verwerkt: { $why }
retry-resolved = ze is buiten deze tool afgehandeld ({ $note }); `ccv-moneybird resolve --undo { $id }` zet haar terug
retry-booked-as = ze is al geboekt als Moneybird-betaling { $payment } op factuur { $invoice }
retry-booking-gone = haar Moneybird-betaling { $payment } is er niet meer (zojuist nagekeken); `ccv-moneybird recheck` zet haar in Fouten als drift, waarna `ccv-moneybird retry` haar opnieuw boekt
retry-booked = ze is al geboekt
retry-never-paid = CCV meldt haar als { $status }: ze is nooit betaald
retry-booked-by-hand = een kandidaat-factuur is met de hand betaald met dit bedrag sinds deze betaling binnenkwam; is dat deze betaling, voer dan `ccv-moneybird resolve { $id } --note "…"` uit
retry-already-booked = Moneybird heeft al een betaling met deze transactie-ID die deze tool niet maakte; voer `ccv-moneybird resolve { $id } --note "…"` uit, of verwijder die betaling in Moneybird en voer `ccv-moneybird retry { $id } --invoice NUMMER` uit
retry-nothing = Niets in Fouten waar opnieuw verwerken bij helpt.
retry-no-such-invoice = geen open factuur heet `{ $label }`; er is niets geboekt
retry-open-candidates = de open kandidaten zijn: { $candidates }
retry-name-an-open-invoice = geef het factuurnummer, of de referentie van een externe factuur, van een open factuur in Moneybird
pick-invoice = factuur { $invoice }: { $customer }, { $amount } open, gedateerd { $date }
pick-none = geen van deze: laat haar in Fouten staan
pick-prompt = Betaling #{ $id } ({ $reference }, { $amount }) past op meerdere open facturen. Boek haar op
retry-was-in-moneybird = #{ $id } { $reference } stond al in Moneybird: { $note }
retry-booked-on = #{ $id } { $reference } geboekt op factuur { $invoice }
retry-not-paid-yet = CCV meldt haar als { $status }; ze wordt geboekt zodra CCV haar als betaald meldt
retry-waiting = ze wacht op de volgende run
retry-name-the-invoice = noem de factuur: `ccv-moneybird retry { $id } --invoice NUMMER`
retry-name-the-invoice-of = noem de factuur: `ccv-moneybird retry { $id } --invoice NUMMER` (open kandidaten: { $candidates })
retry-still-not-booked = betaling #{ $id } ({ $reference }) is nog steeds niet geboekt: { $why }
retry-several-not-booked = { $count } van de { $total } betalingen zijn nog steeds niet geboekt

## wat te doen met een rij in Fouten ("Meer info"); elk eindigt in retry of resolve
advice-no-open-post = Controleer dat de factuur in Moneybird bestaat en verstuurd is (geen concept), en dat de orderreferentie of omschrijving bij CCV haar nummer of referentie noemt; voer dan `ccv-moneybird retry { $id }` uit. Boeken op een factuur naar keuze: `ccv-moneybird retry { $id } --invoice NUMMER`. Hoort ze bij geen enkele factuur? Voer `ccv-moneybird resolve { $id } --note "…"` uit.
advice-ambiguous-match = Meerdere open facturen passen, dus er wordt niets geboekt tot u kiest: `ccv-moneybird retry { $id } --invoice NUMMER` (in een terminal laat `ccv-moneybird retry { $id }` u kiezen). Al met de hand geboekt? Voer `ccv-moneybird resolve { $id } --note "…"` uit.
advice-amount-exceeds-open = De klant betaalde meer dan er openstaat. Corrigeer de factuur in Moneybird en voer `ccv-moneybird retry { $id }` uit; of boek haar met de hand in Moneybird, met { $reference } in het veld transactie-ID, en voer dan `ccv-moneybird resolve { $id } --note "…"` uit. Een klein verschil kan worden toegestaan met booking.rounding_tolerance.
advice-currency-mismatch = De betaling en de factuur zijn in verschillende valuta. Corrigeer de valuta van de factuur en voer `ccv-moneybird retry { $id }` uit; of boek haar met de hand in Moneybird, met { $reference } in het veld transactie-ID, en voer dan `ccv-moneybird resolve { $id } --note "…"` uit.
advice-invoice-not-open = De factuur is betaald, een concept of oninbaar. In Moneybird verstuurd of heropend? Voer `ccv-moneybird retry { $id }` uit. Heeft de klant twee keer betaald? Betaal één betaling terug in CCV en voer dan `ccv-moneybird resolve { $id } --note "…"` uit.
advice-period-locked = De betaaldatum valt in een periode die in Moneybird is afgesloten. Heropen de periode en voer `ccv-moneybird retry { $id }` uit; of boek haar met de hand in Moneybird, met { $reference } in het veld transactie-ID, en voer dan `ccv-moneybird resolve { $id } --note "…"` uit.
advice-already-booked = Moneybird heeft al een betaling met deze transactie-ID voor een ander bedrag, niet door deze tool gemaakt. Klopt ze, voer dan `ccv-moneybird resolve { $id } --note "…"` uit. Klopt ze niet, verwijder haar in Moneybird en voer `ccv-moneybird retry { $id } --invoice NUMMER` uit.
advice-moneybird-rejected = Moneybird weigerde de boeking; de melding zegt waarom. Los de oorzaak op in Moneybird (bv. de tussenrekening van deze methode) en voer `ccv-moneybird retry { $id }` uit; of boek haar met de hand in Moneybird, met { $reference } in het veld transactie-ID, en voer dan `ccv-moneybird resolve { $id } --note "…"` uit.
advice-partial-payment = De betaling is minder dan het openstaande bedrag, en deelbetalingen staan uit (booking.allow_partial). Zet ze aan en voer `ccv-moneybird retry { $id }` uit; of boek haar met de hand in Moneybird, met { $reference } in het veld transactie-ID, en voer dan `ccv-moneybird resolve { $id } --note "…"` uit.
advice-booked-by-hand = Een kandidaat-factuur is met de hand betaald met dit bedrag nadat deze betaling binnenkwam, dus er is niets geboekt. Is dat deze betaling, voer dan `ccv-moneybird resolve { $id } --note "…"` uit. Is het een andere betaling, boek deze dan met de hand op haar eigen factuur (met { $reference } in het veld transactie-ID) en voer `ccv-moneybird resolve { $id } --note "…"` uit. Heeft de klant twee keer betaald, betaal één betaling terug in CCV en voer `ccv-moneybird resolve { $id } --note "…"` uit.
advice-unreadable = CCV stuurde deze transactie in een vorm die niet te lezen is (zie de ruwe gegevens in `ccv-moneybird report { $id }`). Vraag CCV support haar te corrigeren en voer `ccv-moneybird retry { $id }` uit; of boek haar met de hand in Moneybird, met { $reference } in het veld transactie-ID, en voer dan `ccv-moneybird resolve { $id } --note "…"` uit.
advice-ledger-account-unknown = Koppel deze betaalmethode aan een bestaande, actieve grootboekrekening, bv. `ccv-moneybird connect moneybird --ledger-account METHODE=ID` (of METHODE=new, of METHODE=none), en voer dan `ccv-moneybird retry { $id }` of `ccv-moneybird retry --all-fouten` uit.

## info ("Meer info")
info-title = Betaling #{ $id } · { $reference }
info-tab = Tabblad
info-reason = Reden
info-what-to-do = Wat te doen
info-resolved = Afgehandeld
info-resolved-undo = Wordt nooit meer aangeraakt; `ccv-moneybird resolve --undo { $id }` zet haar terug.
info-booked = Geboekt
info-booked-as = Moneybird-betaling { $payment } op factuur { $invoice }, gedateerd { $date }, voor { $amount }
info-difference = Verschil
info-difference-text = { $amount } meer dan er openstond, binnen booking.rounding_tolerance; het blijft op de tussenrekening
info-rounding = Afronding
info-rounding-text = { $amount } afgeboekt als afrondingsverschil (een `rounding_error`-betaling), zodat de factuur betaald is
info-status-paid = { $status } op { $at }
info-field-status = status
info-field-amount = bedrag
info-field-method = methode
info-field-created = aangemaakt
info-field-order = orderref.
info-field-description = omschrijving
info-paid-through = betaald via { $child } (betaallink)
info-matching = Koppeling
info-not-matched = nog niet gekoppeld
info-field-rule = regel
info-field-found-by = gevonden via
info-no-rule = geen: geen factuurnummer, referentie of betalingskenmerk van een open factuur staat in de orderreferentie of omschrijving
info-field-by-hand = met de hand
info-by-hand = Moneybird-betaling { $payment } op factuur { $invoice }: { $amount } op { $date }, zonder transactie-ID
info-candidates = kandidaten
info-open = open
info-moneybird = Moneybird
info-not-asked = kon zojuist niet gevraagd worden ({ $why }); wat volgt is zoals het laatst gezien is
info-booking-gone = heeft betaling { $payment } niet meer (zojuist nagekeken): iemand heeft haar of haar factuur verwijderd; de nachtelijke recheck zet haar in Fouten als drift
info-by-hand-gone = betaling { $payment } op factuur { $invoice } staat niet meer in Moneybird (zojuist nagekeken); `ccv-moneybird retry` kijkt opnieuw
info-invoice-gone = weg
info-history = Geschiedenis
info-last-request = Laatste verzoek aan Moneybird
info-no-request = geen: er is niets naar Moneybird gestuurd voor deze betaling
info-sent = verstuurd
info-answer = antwoord
info-no-answer = geen (er kwam geen antwoord)
info-as-ccv-reported = Zoals CCV het meldde

## status
status-filter-without-tab = --since en --limit kiezen rijen van een tabblad, en het overzicht toont er geen
status-filter-without-tab-hint = voeg `--tab alle` (of de naam van een tabblad) toe, of `--json`
status-no-state = Nog geen gegevens in { $path }: voer `ccv-moneybird sync` uit.
status-no-payments = Geen betalingen hier.
status-config = Config
status-state = Staat
status-no-state-yet = Nog geen gegevens: voer `ccv-moneybird sync` uit.
status-no-run-yet = Er is nog geen sync gedraaid: voer `ccv-moneybird sync` uit.
status-last-run = Laatste geslaagde run: { $pass } om { $at }: { $booked } geboekt, { $errors } nieuw in Fouten
status-last-run-stopped = Laatste geslaagde run: { $pass } om { $at }: { $booked } geboekt, { $errors } nieuw in Fouten; vroeg gestopt: { $why }
light-not-connected = niet verbonden: geen inloggegevens
light-connect = voer `ccv-moneybird connect { $service }` uit
light-not-contacted = nog geen contact gehad
light-connected = verbonden (laatste antwoord { $at })
light-refused = weigerde de inloggegevens op { $at }: { $why }
light-refused-fix = voer `ccv-moneybird connect { $service }` opnieuw uit (of controleer { $variable })
light-failing = storing sinds { $at }: { $why }
light-failing-fix = controleer de verbinding van deze machine met { $name }; de volgende run probeert het opnieuw, er gaat niets verloren
credentials-test-key = test-API-sleutel
credentials-live-key = live-API-sleutel
credentials-key = API-sleutel
credentials-personal-token = persoonlijk API-token
credentials-oauth = OAuth-toegang

## config
config-bad-language = [ui] language `{ $value }` is geen taal die deze tool spreekt
config-bad-language-hint = schrijf "nl" (Nederlands) of "en" (English), of laat het weg om de locale (LANG) te volgen

## fouten
error-prefix = fout:
error-caused-by = Oorzaak:
error-hint = tip:
source-env = uit { $variable }
source-stored = opgeslagen door `connect`

## doctor
doctor-check-config = configuratie
doctor-check-ccv_key = CCV-API-sleutel
doctor-check-moneybird_credential = Moneybird-toegang
doctor-check-administration = administratie
doctor-check-scopes = Moneybird-rechten
doctor-check-ledger_accounts = tussenrekening
doctor-check-timezone = tijdzone
doctor-check-clock = klok
doctor-check-state = database
doctor-check-ccv_dialect = antwoorden van CCV
doctor-ccv-time-form = CCV neemt zijn tijdfilters als { $form } (geleerd uit zijn antwoorden)
doctor-ccv-time-form-unknown = nog niet geleerd: de eerste sync vraagt in epoch-milliseconden, en in ISO 8601 als CCV dat weigert
doctor-time-form-epoch = epoch-milliseconden
doctor-time-form-iso = ISO 8601
doctor-check-schedule = planning
doctor-check-last_run = laatste geslaagde run
doctor-config-fix = vergelijk de configuratie met config.example.toml, daar staat elke sleutel in
doctor-no-credential = geen inloggegevens
doctor-ccv-ok = { $source }; methoden: { $methods }
doctor-no-administration = er is geen administratie ingesteld
doctor-scope-fix = geef het token de rechten sales_invoices en settings (en bank voor [payouts]): voer `ccv-moneybird connect moneybird` opnieuw uit (een persoonlijk token: vink in Moneybird de vakjes aan)
doctor-no-ledger-accounts = geen betaalmethode is gekoppeld aan een tussenrekening: betalingen worden zonder geboekt
doctor-ledger-fix = voer `ccv-moneybird connect moneybird` uit, of vul [ledger_accounts] in de configuratie in (METHODE = "ID")
doctor-timezone = { $zone } (nu UTC{ $offset }): boekdatums zijn kalenderdagen daar
doctor-clock-unknown = geen dienst antwoordde, dus de klok kon niet vergeleken worden
doctor-clock-unknown-fix = herstel de verbindingen hierboven en voer `ccv-moneybird doctor` opnieuw uit
doctor-clock-ok = binnen { $seconds } s van de klok van de servers
doctor-clock-off = de klok van deze machine loopt { $seconds } s anders dan die van de servers ({ $server }): betalingen rond middernacht kunnen de verkeerde boekdatum krijgen
doctor-clock-fix = laat de klok de netwerktijd volgen, bv. `timedatectl set-ntp true`
doctor-state-fix = zet het bestand terug uit een back-up, of zet het opzij en voer `ccv-moneybird sync` uit (een verloren bestand boekt niets dubbel)
doctor-run-sync = voer `ccv-moneybird sync` uit
doctor-scheduled = ingepland ({ $how })
doctor-not-scheduled = er is geen sync per uur of recheck per nacht ingepland voor deze configuratie
doctor-schedule-fix = voer `ccv-moneybird schedule --install` uit (of `--systemd --install`)
doctor-last-run = { $pass } om { $at }
doctor-last-run-old = { $pass } om { $at }, langer geleden dan een planning per uur toelaat
doctor-last-run-fix = kijk wat de geplande runs meldden in { $log } (of `journalctl --user -u ccv-moneybird-sync`)
doctor-summary = { $failed ->
        [0] Alles wat gecontroleerd is, is in orde.
        [one] Eén controle is mislukt.
       *[other] { $failed } controles zijn mislukt.
    }

## schedule
schedule-no-binary = kan niet bepalen waar dit programma geïnstalleerd is
schedule-crontab-failed = kan `crontab` niet uitvoeren
schedule-crontab-unreadable = `crontab -l` mislukte: { $said }
schedule-crontab-refused = `crontab -` weigerde de nieuwe crontab; er is niets veranderd
schedule-crontab-hint = controleer dat cron geïnstalleerd is en dat u het mag gebruiken (/etc/cron.allow), of gebruik `--systemd`
schedule-no-crontab = er is geen `crontab`-opdracht op deze machine
schedule-no-crontab-hint = installeer cron, of gebruik systemd-timers: `ccv-moneybird schedule --systemd --install`
schedule-already = De crontab bevat deze regels al; er is niets veranderd.
schedule-installed-cron = Toegevoegd aan uw crontab (wat de runs melden gaat naar { $log }, en cron mailt het u):
schedule-no-home = kan niet bepalen waar uw systemd-gebruikersunits horen
schedule-no-home-hint = zet HOME of XDG_CONFIG_HOME
schedule-cannot-write = kan { $path } niet schrijven
schedule-installed-systemd = De units staan in { $dir } en de timers zijn gestart; `systemctl --user list-timers 'ccv-moneybird*'` toont ze.
schedule-systemctl-failed = kan `systemctl` niet uitvoeren
schedule-systemctl-refused = `systemctl { $args }` mislukte
schedule-systemctl-hint = draait er een systemd-gebruikerssessie? (`loginctl enable-linger $USER` houdt de timers actief als u uitgelogd bent)
kind-sales-invoice = verkoopfactuur
kind-external = externe verkoopfactuur

## bestanden en paden
file-cannot-read = kan { $path } niet lezen
file-cannot-create = kan { $path } niet aanmaken
lock-cannot-open = kan het slotbestand { $path } niet openen
lock-cannot-lock = kan { $path } niet vergrendelen
lock-held = een andere ccv-moneybird-run houdt het slot { $path } vast; er is niets gedaan
lock-held-hint = dat is normaal als een sync de vorige overlapt; de volgende run pakt op wat er over is
no-such-payment = betaling `{ $wanted }` is onbekend
no-such-payment-hint = gebruik het id uit `ccv-moneybird status --tab alle`, of een CCV-referentie
store-none = nog geen gegevens in { $path }
store-none-hint = voer eerst `ccv-moneybird sync` uit (of controleer `path` onder [state] in de configuratie)
store-empty-file = { $path } is een leeg bestand, geen statusdatabase van dit programma
store-other-database = { $path } is een SQLite-database van iets anders, geen statusdatabase van dit programma
store-post-unreadable = een bewaarde openstaande post is onleesbaar
store-cannot-open = kan de database { $path } niet openen
store-newer = de database { $path } is geschreven door een nieuwere versie van ccv-moneybird (schema { $version }, deze kent { $known })
store-newer-hint = installeer de nieuwere versie opnieuw; deze raakt haar gegevens niet aan
store-cannot-create-dir = kan de map { $path } niet aanmaken: { $error }
store-cannot-create-dir-hint = laat `path` onder [state] in de configuratie wijzen naar een plek waar deze gebruiker mag schrijven
config-cannot-read = kan het configuratiebestand { $path } niet lezen
config-cannot-write = kan het configuratiebestand { $path } niet schrijven
config-bad-timezone = booking.timezone `{ $value }` is geen tijdzone
config-bad-timezone-hint = gebruik een IANA-naam zoals "Europe/Amsterdam"
config-bad-tolerance = booking.rounding_tolerance `{ $value }` is geen bedrag in euro
config-bad-tolerance-hint = schrijf het als tekst met hoogstens twee decimalen, bv. "0.01"
config-tolerance-too-large = booking.rounding_tolerance `{ $value }` is meer dan 1.00: zo'n grote marge schrijft echt geld af zonder dat iemand het ziet
config-tolerance-too-large-hint = zet [booking] rounding_tolerance op hoogstens "1.00" (bv. "0.01") en boek grotere verschillen met de hand
report-exists = { $path } bestaat al; een rapport overschrijft nooit een bestand
report-exists-hint = noem een nieuw bestand met --output, of laat het weg voor een eigen naam
config-no-administration = er is geen Moneybird-administratie ingesteld in { $path }
config-no-administration-hint = voer `ccv-moneybird connect moneybird` uit, of zet `administration_id` onder [moneybird]
config-invalid = het configuratiebestand { $path } is niet geldig{ $place }: { $error }
config-place = { " " }op regel { $line }, kolom { $column }
config-edit-invalid-hint = herstel het eerst met de hand; vergelijk het met config.example.toml
config-bad-url = { $key } `{ $value }` is geen URL: { $error }
config-bad-url-hint = schrijf het als bv. "https://{ $host }"
config-not-https = { $key } `{ $value }` moet https gebruiken
config-not-https-hint = gewoon http mag alleen voor loopback-adressen (127.0.0.1, ::1, localhost), waar de sandbox draait
config-no-home = XDG_CONFIG_HOME/XDG_DATA_HOME en HOME zijn geen van alle gezet
credentials-damaged = het bestand met inloggegevens { $path } is beschadigd: { $error }
credentials-damaged-hint = voer `ccv-moneybird connect ccv` en `ccv-moneybird connect moneybird` opnieuw uit
credentials-cannot-save = kan de inloggegevens niet opslaan in { $path }
credentials-unchanged = de inloggegevens zijn niet veranderd
credentials-no-ccv-key = er is geen CCV-API-sleutel ingesteld
credentials-no-moneybird-token = er is geen Moneybird-token ingesteld
credentials-set-hint = voer `ccv-moneybird connect { $service }` uit, of zet { $variable }
oauth-invalid-grant = het toegangstoken is verlopen en het vernieuwingstoken werd geweigerd (invalid_grant)
oauth-invalid-client = het toegangstoken is verlopen en de OAuth-client werd geweigerd (invalid_client)
oauth-renewal-failed = het vernieuwen van het toegangstoken mislukte: { $message }
oauth-cannot-lock = het slot naast de inloggegevens kan niet genomen worden ({ $error })
error-oauth-not-stored-hint = er is niets mee geboekt; maak ruimte op de schijf of maak de map met inloggegevens schrijfbaar en voer het opnieuw uit (weigert Moneybird dan het oude token, voer dan één keer `ccv-moneybird connect moneybird` uit)
oauth-not-saved = het vernieuwde toegangstoken kon niet worden opgeslagen: { $error }
oauth-error-grant = Moneybird weigerde de toestemming (invalid_grant): { $message }
oauth-error-client = Moneybird weigerde de OAuth-client (invalid_client): controleer client_id en het clientgeheim
oauth-error-other = de OAuth-uitwisseling met Moneybird mislukte: { $message }
oauth-no-answer = geen antwoord: { $message }
oauth-unreadable-answer = onleesbaar antwoord: { $message }
oauth-browser-timeout = er kwam binnen { $minutes } minuten geen antwoord van de browser
oauth-not-granted = Moneybird gaf geen toegang: { $error }
oauth-answer-no-code = het antwoord van Moneybird bevatte geen code
oauth-pasted-other-login = het geplakte adres hoort bij een andere aanmelding (de `state` verschilt)
oauth-pasted-no-code = het geplakte adres bevat geen code
oauth-not-a-code = dat is geen autorisatiecode
oauth-page-not-found = Niet gevonden
oauth-page-other-login = Dit antwoord hoort niet bij deze aanmelding. U kunt dit tabblad sluiten.
oauth-page-not-granted = Er werd geen toegang gegeven. U kunt dit tabblad sluiten.
oauth-page-no-code = Er kwam geen code mee met dit antwoord.
oauth-page-connected = ccv-moneybird is verbonden met Moneybird. U kunt dit tabblad sluiten.
progress-rate-limit = { $seconds } s wachten op de limiet van Moneybird

## connect
connect-stdin-empty = er kwam geen { $what } binnen op standaardinvoer
connect-stdin-empty-hint = geef de { $what } via een pijp door, bv. `… < bestand`
connect-pipe-or-set = geef haar via een pijp aan `{ $flag }`, of zet { $variable }
connect-set = zet { $variable }
connect-no-terminal = er is geen terminal om naar de { $what } te vragen
connect-what-ccv-key = CCV-API-sleutel
connect-what-moneybird-token = Moneybird-token
connect-what-client-secret = OAuth-clientgeheim
connect-prompt-ccv-key = CCV-API-sleutel (CCV-dashboard › Configuratie › API sleutels)
connect-prompt-moneybird-token = Persoonlijk Moneybird-API-token (Instellingen › Externe applicaties › Nieuwe API-token)
connect-prompt-client-secret = Clientgeheim van uw Moneybird-OAuth-applicatie
connect-ccv-empty = de API-sleutel is leeg; er is niets opgeslagen
connect-ccv-empty-hint = kopieer haar opnieuw uit het CCV-dashboard
connect-ccv-refused = CCV weigerde deze API-sleutel (401); er is niets opgeslagen
connect-ccv-refused-hint = kopieer de sleutel opnieuw uit het CCV-dashboard: Configuratie › API sleutels
connect-ccv-blocked = CCV blokkeerde het verzoek (403); er is niets opgeslagen
connect-unreachable = kan { $service } niet bereiken op { $url }: { $message }; er is niets opgeslagen
connect-unreachable-hint = controleer de netwerkverbinding, en `base_url` onder [{ $section }]
connect-ccv-not-understood = het antwoord van CCV op de sleutelcontrole is niet begrepen; er is niets opgeslagen
connect-ccv-test-key = een testsleutel (t_…): betalingen zijn gesimuleerd
connect-ccv-live-key = een livesleutel (l_…)
connect-ccv-unknown-key = een sleutel van onbekende soort (t_ noch l_)
connect-ccv-connected = Verbonden met CCV met { $kind }.
connect-ccv-no-methods = Er zijn geen betaalmethoden actief voor deze sleutel.
connect-ccv-methods = Actieve betaalmethoden: { $methods }.
connect-ccv-stored = De sleutel is opgeslagen in { $path } (alleen voor de eigenaar).
connect-moneybird-refused = Moneybird weigerde dit token: { $message }; er is niets opgeslagen
connect-moneybird-refused-hint = maak een nieuw persoonlijk API-token in Moneybird (rechten sales_invoices en settings) en probeer het opnieuw
connect-nothing-stored = er is niets opgeslagen
connect-moneybird-connected = Verbonden met Moneybird-administratie “{ $name }” ({ $id }).
connect-moneybird-stored = Het token is opgeslagen in { $path } (alleen voor de eigenaar); de administratie in { $config }.
connect-no-such-administration = dit token heeft geen toegang tot administratie { $id }; er is niets opgeslagen
connect-it-sees = het ziet: { $administrations }
connect-no-administration = dit token ziet geen administratie; er is niets opgeslagen
connect-no-administration-hint = maak het token aan in de administratie waar de betalingen bij horen
connect-pick-administration = Bij welke administratie horen de CCV-betalingen?
connect-several-administrations = dit token ziet { $count } administraties; er is niets opgeslagen
connect-several-administrations-hint = kies er één met `--administration ID`: { $administrations }
connect-cannot-listen = Kan niet luisteren op { $address } naar het antwoord van Moneybird ({ $error }); plak het in plaats daarvan.
connect-open-address = Open dit adres in een browser, log in bij Moneybird en geef toegang:
connect-paste-code = Plak daarna de code die Moneybird toont, of het hele adres waarop de browser eindigt:
connect-waiting = Wachten tot Moneybird de browser terugstuurt naar { $address }…
connect-no-answer = er kwam geen antwoord van Moneybird
connect-client-refused = Moneybird weigerde de OAuth-client; er is niets opgeslagen
connect-client-refused-hint = controleer client_id onder [moneybird.oauth] en { $variable }
connect-code-not-exchanged = de code kon niet worden ingewisseld voor een token; er is niets opgeslagen
connect-cannot-read-ledgers = kan de grootboekrekeningen niet lezen
connect-ledgers-unchanged = Tussenrekeningen niet veranderd: koppel ze met `--ledger-account METHODE=ID` (methoden: { $methods }).
connect-no-tussenrekening = geen tussenrekening
connect-bad-pair = `--ledger-account { $pair }` is geen METHODE=ID
connect-bad-pair-hint = schrijf het als bv. `--ledger-account ideal=4960817000000000001` (of `ideal=new`, `ideal=none`)
connect-no-such-method = CCV biedt geen betaalmethode `{ $method }` aan op dit account; de koppeling is niet veranderd
connect-methods-offered = de methoden die CCV aanbiedt zijn: { $methods }
connect-no-such-ledger = Moneybird heeft geen grootboekrekening { $id }; de koppeling is niet veranderd
connect-pick-one-of = kies er één uit: { $ledgers }
connect-ledger-existing = De bestaande grootboekrekening “{ $name }” ({ $id }) wordt gebruikt.
connect-cannot-create-ledger = kan de grootboekrekening “{ $name }” niet aanmaken
connect-ledger-wrong-type = Moneybird maakte “{ $name }” ({ $id }) aan als { $kind }-rekening, niet als actieve rekening vlottende activa; de koppeling is niet veranderd
connect-ledger-wrong-type-hint = kies een bestaande tussenrekening met `--ledger-account METHODE=ID`, of herstel de rekening in Moneybird
connect-ledger-created = Grootboekrekening “{ $name }” ({ $id }) aangemaakt.
connect-using-stored = De eerder opgeslagen Moneybird-inloggegevens worden gebruikt (geef met --token-stdin een nieuw token om ze te vervangen).
connect-not-a-tussenrekening = { $ledger } kan geen tussenrekening zijn: alleen een actieve rekening van de vlottende activa die niet die van de debiteuren of van een bank is
connect-stored-refused = Moneybird neemt de opgeslagen inloggegevens niet meer aan; er zijn nieuwe nodig.
connect-keep = { $current } houden
connect-create = “Tussenrekening CCV { $method }” aanmaken
connect-pick-tussenrekening = Tussenrekening voor CCV-betalingen met { $method }

## report en demo
report-cannot-write = kan het rapport niet schrijven naar { $path }: { $error }
report-wrote = { $path } geschreven
report-mail-body = Het probleemrapport zit als bijlage bij deze mail: { $path }
demo-shop = Demowinkel: { $transactions } CCV-transacties, { $open_posts } open facturen in Moneybird (sandbox op { $url }).
demo-rate-limit = De limiet is die van Moneybird, 150 verzoeken, maar per { $seconds } s in plaats van 5 minuten.
demo-running = `ccv-moneybird sync` draait ertegen…
demo-kept = De gegevens van de demo staan in { $dir }. Kijk verder met:
demo-keep-hint = Voer `ccv-moneybird demo --dir MAP` uit om de gegevens te bewaren en rond te kijken met `status`.
demo-summary = { $fetched } betalingen opgehaald, { $booked } geboekt, { $errors } vragen om een blik.
demo-requests = Verzoeken aan Moneybird: { $requests } ({ $per_payment } per geboekte betaling).
demo-tab = { $tab } ({ $count }):
demo-tab-newest = { $tab } ({ $count }), nieuwste 5:
demo-tab-open = Open: wacht op CCV
demo-tab-rapportage = Rapportage: geboekt of afgehandeld
demo-tab-fouten = Fouten: vragen om een blik
demo-tab-closed = Gesloten: nooit betaald

## de antwoorden van de diensten
moneybird-unauthorized = Moneybird weigerde het token (401): { $message }
moneybird-not-found = Moneybird kent het niet (404): { $message }
moneybird-rejected = Moneybird weigerde het verzoek ({ $status }): { $message }
moneybird-rate-limited = de limiet van Moneybird vraagt { $seconds } s te wachten, langer dan deze run mag wachten
moneybird-server = Moneybird antwoordde { $status }: { $message }
moneybird-transport = geen antwoord van Moneybird op { $url }: { $message }
moneybird-malformed = het antwoord van Moneybird is niet te lezen: { $message }
ccv-status = CCV antwoordde { $status }: { $body }
ccv-transport = geen antwoord van CCV op { $url }: { $message }
ccv-not-an-object = een transactie is geen JSON-object
ccv-no-reference = een transactie heeft geen `reference`
ccv-no-field = transactie { $reference } heeft geen `{ $field }`
ccv-unknown-type = transactie { $reference } heeft een onbekend `type` `{ $kind }`
ccv-amount-not-a-number = transactie { $reference }: bedrag `{ $amount }` is geen bedrag
ccv-amount-sub-cent = transactie { $reference }: bedrag `{ $amount }` heeft meer dan twee decimalen
ccv-amount-too-large = transactie { $reference }: bedrag `{ $amount }` is te groot
ccv-amount-implausible = transactie { $reference }: bedrag { $amount } ligt boven 1.000.000.000
ccv-no-payment = transactie { $reference }: een { $kind } van { $amount } is geen betaling
ccv-no-created = transactie { $reference } heeft geen leesbare `created`-tijd
ccv-before-2000 = transactie { $reference }: `created` { $created } ligt voor 2000
ccv-future = transactie { $reference }: `created` { $created } ligt meer dan 24 uur na de klok van deze run
ccv-state-pending = in behandeling
ccv-state-success = betaald
ccv-state-failed = mislukt
ccv-state-manual-intervention = handmatige tussenkomst
ccv-malformed = het antwoord van CCV is niet te lezen: { $message }
ccv-rate-limited = CCV weigerde hetzelfde verzoek { $times } keer achter elkaar vanwege zijn limiet, elke keer na het gevraagde wachten
ccv-time-filter-refused = CCV weigerde het tijdfilter zowel in epoch-milliseconden ({ $epoch }) als in ISO 8601 ({ $iso }); de aanname dat de lijst op aanmaaktijd filtert klopt niet
ccv-stuck-now = nu
ccv-stuck-outside = gevraagd naar transacties aangemaakt na { $after } en voor { $before }, antwoordde het met een die is aangemaakt op { $at }
ccv-stuck-repeated = gevraagd naar transacties aangemaakt na { $after } en voor { $before }, antwoordde het alleen met transacties die het al eerder stuurde
ccv-stuck = de lijst van CCV komt niet verder: { $what }; de aanname dat CCV op createdAfter/createdBefore filtert klopt niet, dus er is niets geboekt
answer-too-large = { $service } stuurde een antwoord van { $size } of meer, boven de grens van { $limit }; het is niet gelezen
moneybird-throttled = Moneybird weigerde hetzelfde verzoek { $times } keer achter elkaar vanwege zijn limiet, elke keer na het gevraagde wachten
error-ccv-rate-limited-hint = misschien gebruikt een ander programma dezelfde CCV-sleutel intensief; er is niets dubbel geboekt; wacht een paar minuten en voer `ccv-moneybird sync` opnieuw uit
error-ccv-too-large-hint = dit is geen normaal antwoord van CCV (een proxy of een storing bij CCV); er is niets uit geboekt; blijft het, neem dan contact op met CCV support
error-ccv-unreadable-hint = er is niets uit dit antwoord geboekt; voer `ccv-moneybird doctor` uit en neem, als het blijft, contact op met CCV support
error-moneybird-throttled-hint = misschien gebruikt een ander programma hetzelfde Moneybird-token; er is niets dubbel geboekt; wacht een paar minuten en voer `ccv-moneybird sync` opnieuw uit
rule-named-by-person = genoemd door een persoon
rule-transaction-identifier = transactie-ID
error-internal = interne fout (een bug in ccv-moneybird): { $message }{ $at }
error-internal-hint = er wordt daardoor niets dubbel geboekt; meld het alstublieft, met `ccv-moneybird --version` en wat u uitvoerde
advice-changed-after-booking = CCV meldt een terugbetaling, chargeback of storno van deze betaling nadat ze geboekt is; de boeking staat nog in Moneybird. Een terugbetaling voor goederen: maak in Moneybird een creditfactuur voor wat terugbetaald is en voer dan `ccv-moneybird resolve { $id } --note "…"` uit. Een chargeback of storno (het geld ging terug): `ccv-moneybird retry { $id } --undo-booking` verwijdert de betaling van deze tool, zodat de factuur weer openstaat. Anders afgehandeld? Voer `ccv-moneybird resolve { $id } --note "…"` uit.
advice-drift = Iemand heeft de betaling van deze tool in Moneybird verwijderd of veranderd, dus de boekhouding toont haar niet meer zoals ze was; er is niets vanzelf opnieuw geboekt. Per ongeluk verwijderd? `ccv-moneybird retry { $id }` boekt haar opnieuw. Met opzet (bv. elders geboekt)? Voer `ccv-moneybird resolve { $id } --note "…"` uit.

## na de boeking
change-refund = terugbetaling
change-chargeback = chargeback
change-reversal = storno
change-chargeback-reversal = teruggedraaide chargeback
event-change = { $kind } { $reference } van { $amount } bij CCV, status { $status }
event-change-never-booked = deze tool heeft de betaling nooit geboekt, dus in Moneybird verandert er niets
changed-undone = { $amount } ging terug door een chargeback of storno; de boeking van { $booked } op factuur { $invoice } staat nog in Moneybird
changed-refunded = volledig terugbetaald ({ $amount }); de boeking van { $booked } op factuur { $invoice } staat nog in Moneybird
changed-partly-refunded = deels terugbetaald: { $amount } van { $paid }; de boeking van { $booked } op factuur { $invoice } blijft staan
retry-changed-after-booking = haar boeking staat nog in Moneybird en CCV meldt sindsdien teruggenomen geld; `ccv-moneybird retry { $id } --undo-booking` verwijdert de betaling van deze tool, of voer `ccv-moneybird resolve { $id } --note "…"` uit zodra u het heeft afgehandeld
resolve-undo-undone = betaling #{ $id } ({ $reference }): haar boeking is in Moneybird verwijderd met `--undo-booking`, dus er valt niets terug te zetten
undo-not-changed = alleen een boeking die CCV sindsdien als teruggedraaid meldt (`changed_after_booking`) kan hier ongedaan worden gemaakt
undo-partial-refund = er is maar { $amount } van { $paid } terugbetaald, dus de rest van de boeking klopt: maak in Moneybird een creditfactuur voor het terugbetaalde deel en voer `resolve` uit
undo-not-ours = Moneybird-betaling { $payment } op factuur { $invoice } is niet meer zoals deze tool haar boekte (iemand heeft haar veranderd), dus ze blijft staan
undo-not-ours-hint = zet haar zelf recht in Moneybird en voer dan `ccv-moneybird resolve { $id } --note "…"` uit
undo-unclear = Moneybird antwoordde niet duidelijk tijdens het verwijderen van de betaling: { $error }
undo-unclear-hint = voer `ccv-moneybird retry { $id } --undo-booking` opnieuw uit: het leest eerst de factuur, dus er wordt niets dubbel verwijderd
resolution-booking-undone = boeking ongedaan gemaakt: Moneybird-betaling { $payment } van deze tool is verwijderd van factuur { $invoice }, die weer openstaat
resolution-booking-gone = boeking ongedaan gemaakt: Moneybird-betaling { $payment } stond niet meer op factuur { $invoice }
retry-undone = #{ $id } { $reference }: { $what }
info-after-payment = Na de betaling
proposal-nothing-yet = nog niets te doen: er is tot nu toe geen geld teruggegaan
proposal-settled = afgehandeld: zie de afhandeling hierboven
proposal-undo = voorstel: het geld ging terug, dus maak de boeking ongedaan: `ccv-moneybird retry { $id } --undo-booking` verwijdert Moneybird-betaling { $payment } van deze tool en factuur { $invoice } staat weer open
proposal-credit-invoice = voorstel: maak in Moneybird een creditfactuur voor de { $amount } die terugbetaald is (de goederen kwamen terug) en boek de terugbetaling daarop, en voer dan `ccv-moneybird resolve { $id } --note "…"` uit; is de verkoop helemaal teruggedraaid, dan verwijdert `ccv-moneybird retry { $id } --undo-booking` de boeking
proposal-credit-invoice-partial = voorstel: maak in Moneybird een creditfactuur voor de { $amount } die terugbetaald is; de boeking van { $booked } blijft zoals ze is; voer dan `ccv-moneybird resolve { $id } --note "…"` uit

## drift
drift-invoice-gone = factuur { $invoice } staat niet meer in Moneybird, en de betaling van deze tool erop ook niet; er is niets opnieuw geboekt
drift-deleted = Moneybird-betaling { $payment } van deze tool is door iemand verwijderd van factuur { $invoice }; er is niets opnieuw geboekt
drift-changed = Moneybird-betaling { $payment } van deze tool op factuur { $invoice } is door iemand veranderd: geboekt { $booked } op { $date }, nu { $price_now } op { $date_now }

## export
export-backwards = --from { $from } ligt na --to { $to }
export-backwards-hint = geef de eerste dag met --from en de laatste met --to, bv. `--from 2026-10-01 --to 2026-12-31`
export-same-file = --output en --totals noemen allebei { $path }; het ene zou het andere overschrijven
export-same-file-hint = geef de totalen een eigen bestand, bijvoorbeeld `--totals totalen.csv`
export-written = { $count ->
        [one] 1 betaling geschreven.
       *[other] { $count } betalingen geschreven.
    }
export-cannot-write = kan de export niet schrijven naar { $path }; daar is niets geschreven

## meerdere winkels
config-bad-shop-name = `[[ccv.shops]]` heeft voor elke winkel een eigen naam nodig; `{ $name }` is leeg of al in gebruik
config-bad-shop-name-hint = geef elke `[[ccv.shops]]` een andere `name`, bv. name = "fietsen"
credentials-no-shop-key = er is geen CCV-API-sleutel ingesteld voor winkel { $shop }
store-read-only = de statusdatabase { $path } is alleen-lezen: er kan niets vastgelegd worden, dus er is niets geboekt
store-read-only-hint = maak haar weer schrijfbaar voor de gebruiker van de runs: `chmod u+w { $path }` (en `chown` als een andere gebruiker eigenaar is)
store-folder-read-only = de map van de statusdatabase, { $folder }, is alleen-lezen: SQLite houdt daar zijn journaalbestanden, dus er kon niets vastgelegd worden en er is niets geboekt
store-folder-read-only-hint = maak de map schrijfbaar voor de gebruiker van de runs: `chmod u+w { $folder }`
store-journal-read-only = de journaalbestanden van de statusdatabase zijn niet schrijfbaar: { $files }; er is niets geboekt
store-journal-read-only-hint = maak ze weer schrijfbaar (`chmod u+w { $files }`), of zet ze, als er geen run bezig is, opzij; SQLite maakt ze opnieuw
store-disk-full = de schijf met de statusdatabase { $path } is vol: er kon niets meer vastgelegd worden; wat eerder geboekt is blijft vastgelegd
store-disk-full-hint = maak ruimte vrij op de schijf van { $folder } (`df -h` toont het) en voer het opnieuw uit; er wordt niets dubbel geboekt
store-locked = de statusdatabase { $path } is vergrendeld door een ander programma
store-locked-hint = sluit wat haar open heeft (een SQLite-browser, een back-up die haar vasthoudt) en voer het opnieuw uit
store-not-ours = { $path } is geen database van deze tool: { $error }
store-not-ours-hint = laat [state] path in de configuratie naar een ander bestand wijzen, of zet dit bestand opzij; de volgende sync bouwt de gegevens opnieuw op uit CCV en Moneybird zonder iets dubbel te boeken
shop-not-configured = winkel `{ $shop }` staat niet meer onder [[ccv.shops]] in de configuratie
shop-health = winkel { $shop }: { $why }
several-with-reference = meer dan één winkel heeft een betaling `{ $reference }`
several-with-reference-hint = noem haar bij haar id: { $ids }
connect-which-shop = deze configuratie heeft meerdere CCV-winkels: zeg voor welke de sleutel is
connect-which-shop-hint = voeg `--shop NAAM` toe; de winkels zijn: { $shops }
shops-failed = { $count ->
        [one] één winkel kon niet gelezen worden bij CCV; de andere wel
       *[other] { $count } winkels konden niet gelezen worden bij CCV; de andere wel
    }
shop-failed = winkel { $shop }: { $error }
column-shop = winkel
info-shop = Winkel
invoice-state-draft = een concept
invoice-state-open = open
invoice-state-scheduled = ingepland
invoice-state-pending-payment = in afwachting van betaling
invoice-state-late = te laat
invoice-state-reminded = herinnerd
invoice-state-paid = betaald
invoice-state-uncollectible = oninbaar
invoice-state-new = nieuw
event-back-in-fouten = terug in Fouten: { $why } ({ $code })
event-change-not-booked-yet = deze tool heeft de betaling niet geboekt, dus in Moneybird verandert er niets; wordt ze later toch geboekt, dan komt ze terug in Fouten

## uitbetalingen
payout-held = betaling { $reference } erin is nog niet geboekt
payout-no-tussenrekening = methode { $method } heeft geen tussenrekening onder [ledger_accounts]
payout-no-bank-line = de bankregel is nog niet binnen
payout-several-lines = { $count } bankregels passen ({ $lines }); koppel de juiste met de hand in Moneybird
payout-line-booked-otherwise = bankregel { $line } is al anders geboekt
payout-booking-description = CCV-uitbetaling { $reference }
stop-unclear-link = Moneybird antwoordde niet duidelijk tijdens het koppelen van bankregel { $line }: { $error }
payouts-none = Nog geen uitbetalingen bekend (stel [payouts] in de configuratie in en voer dan `ccv-moneybird sync` uit).
payouts-column-reference = uitbetaling
payouts-column-payments = betalingen
payouts-column-gross = bruto
payouts-column-received = ontvangen
payouts-column-costs = kosten
payouts-line-under = bankregel { $line }
payouts-column-line = bankregel
payouts-column-state = staat
payout-state-linked = gekoppeld
payout-state-waiting = wacht
payout-state-needs-a-look = vraagt om een blik
info-payout = Uitbetaling
doctor-check-payouts = uitbetalingen
doctor-payouts-bank = bankrekening { $id }
doctor-payouts-no-bank = [payouts] financial_account_id { $id } is geen financiële rekening van deze administratie
doctor-payouts-costs = kostenrekening { $id }
doctor-payouts-no-costs = [payouts] costs_ledger_account_id { $id } is geen actieve grootboekrekening van deze administratie
doctor-payouts-fix = zet de ids onder [payouts] op de bankrekening (Moneybird › Bank) en een kostenrekening voor de kosten van CCV
demo-payouts = Dan betaalt CCV twee dagen aan betalingen uit, en hun bankregels komen binnen; de nachtelijke recheck koppelt ze:
demo-payouts-open = Open op de bankregels van de uitbetalingen: { $amount }: de tussenrekeningen staan weer op nul.
