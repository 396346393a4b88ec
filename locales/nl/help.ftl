# De Nederlandse `--help`. De Engelse staat in de doc comments van de code (src/cli.rs en
# src/cmd/*.rs); een test controleert dat elke opdracht en optie hier een tekst heeft.
# Ids: help-<opdracht>[-<subopdracht>][-<optie>].

help-root = Boekt CCV Online Payments-betalingen op hun open Moneybird-facturen, precies één keer.
help-root-after = Afsluitcodes: 0 klaar, 1 kon zijn werk niet doen of weigerde, 2 verkeerd gebruik, 70 een interne fout (een bug: meld die alstublieft), 75 een andere run houdt het slot vast.
help-root-config = Het configuratiebestand [standaard: $XDG_CONFIG_HOME/ccv-moneybird/config.toml]
help-root-state = De statusdatabase, in plaats van die uit de configuratie (de geplande runs noemen haar zo)
help-root-log = Schrijf ook naar dit logboek wat de run doet: aangevuld, alleen voor de eigenaar, elke regel met zijn tijd, geroteerd bij 10 MiB met één oud bestand
help-root-verbose = Meer melden op stderr (-v: wat er gebeurt, -vv: elk verzoek)
help-root-quiet = Niets melden op stderr behalve fouten
help-root-color = Wanneer de uitvoer kleur krijgt (auto: alleen in een terminal, niet met NO_COLOR)

help-connect = Verbind met CCV of Moneybird en sla de inloggegevens op
help-connect-ccv = Sla de CCV-API-sleutel op (gevraagd, of van stdin) en controleer hem
help-connect-ccv-api_key_stdin = Lees de API-sleutel van stdin in plaats van erom te vragen
help-connect-moneybird = Verbind met Moneybird (persoonlijk token of OAuth), kies de administratie en koppel elke betaalmethode aan een tussenrekening
help-connect-moneybird-token_stdin = Lees een persoonlijk API-token van stdin in plaats van erom te vragen
help-connect-moneybird-administration = De administratie die gebruikt wordt (id), zonder te vragen
help-connect-moneybird-ledger_accounts = Koppel een betaalmethode aan een grootboekrekening: METHODE=ID, METHODE=new (maak "Tussenrekening CCV …" aan) of METHODE=none; herhaalbaar
help-connect-moneybird-skip_ledger_accounts = Laat de koppeling van betaalmethoden zoals ze is

help-sync = Haal nieuwe CCV-betalingen op en boek elke betaalde op haar open Moneybird-factuur
help-sync-dry_run = Toon wat er geboekt zou worden; schrijf niets naar Moneybird en verander hier niets
help-sync-since = Bekijk ook de betalingen die sinds deze dag zijn aangemaakt (JJJJ-MM-DD of DD-MM-JJJJ)

help-recheck = Lees elke openstaande betaling opnieuw bij CCV, bekijk herstelbare fouten opnieuw en boek wat geboekt kan worden
help-recheck-dry_run = Toon wat er geboekt zou worden; schrijf niets naar Moneybird en verander hier niets

help-status = Toon de verbindingen en de tabbladen, of de rijen van één tabblad
help-status-tab = Toon dit tabblad (in beide talen, hoofdletters maken niet uit: fouten/errors, rapportage/report, open, gesloten/closed, alle/all)
help-status-json = Geef de rijen als JSON op stdout (alle tabbladen, tenzij --tab anders zegt)
help-status-limit = Hoogstens zoveel rijen, nieuwste eerst (met --tab of --json)
help-status-wide = Regels zo lang als de tabel nodig heeft (anders de breedte van de terminal, of 100 buiten een terminal)
help-status-since = Alleen betalingen die op of na deze dag zijn aangemaakt (met --tab of --json)
help-status-lights = Met --json: het overzicht (het lampje van elke dienst, het aantal per tabblad, de laatste run, de paden) als één object, in plaats van de rijen

help-info = Alles over één betaling: wat CCV meldde, haar geschiedenis, de koppeling, het laatste verzoek aan Moneybird en wat u kunt doen ("Meer info")
help-info-payment = De betaling: haar id uit de tabellen, of haar CCV-referentie
help-info-json = Geef haar als één JSON-object (altijd in het Engels)

help-retry = Verwerk een betaling nu opnieuw: lees haar opnieuw bij CCV en de open posten bij Moneybird, koppel en boek ("Verwerk")
help-retry-payment = De betaling: haar id uit de tabellen, of haar CCV-referentie
help-retry-invoice = Boek haar op deze open post: een factuurnummer, of de referentie van een externe factuur; de enige manier waarop een dubbelzinnige koppeling geboekt wordt
help-retry-all_fouten = Verwerk elke betaling in Fouten opnieuw waar dat kan helpen (nooit een dubbelzinnige koppeling, een handboeking of een betaling die Moneybird al heeft)

help-resolve = Markeer een betaling als buiten de tool afgehandeld (ze verlaat Fouten), of zet haar terug met --undo
help-resolve-payment = De betaling: haar id uit de tabellen, of haar CCV-referentie
help-resolve-note = Wat er gedaan is, in uw eigen woorden (bv. "met de hand geboekt op 02-02-2026")
help-resolve-undo = Zet een afgehandelde betaling terug waar ze stond

help-report = Schrijf een supportbundel voor één betaling (zonder geheimen) en toon het pad ("Meld probleem")
help-report-payment = De betaling: haar id uit de tabellen, of haar CCV-referentie
help-report-output = Waar het rapport komt [standaard: een nieuw bestand in de huidige map]

help-demo = Doe het hele werk tegen de ingebouwde sandbox, met verzonnen betalingen en facturen
help-demo-dir = Bewaar de configuratie en de gegevens van de demo in deze map [standaard: een tijdelijke map]
help-demo-seed = Het startgetal van de verzonnen gegevens (dezelfde waarde geeft dezelfde demo)

help-completions = Schrijf de aanvulling voor een shell naar stdout
help-completions-shell = De shell: bash, zsh, fish, elvish of powershell
help-man = Schrijf de man-pagina (roff) naar stdout

help-doctor = Controleer de configuratie, inloggegevens, Moneybird-rechten en -administratie, de gekoppelde tussenrekeningen, de klok, de database, de planning en de laatste run
help-doctor-json = Geef de controles als JSON-array (`check`, `status`, `detail`, `fix`), in het Engels
help-schedule = Toon (of installeer met --install, verwijder met --uninstall) de sync per uur en de recheck per nacht voor cron, of als systemd-gebruikerstimers met --systemd
help-schedule-install = Zet de regels in uw crontab (of schrijf en start met --systemd de timers); nog een keer uitvoeren verandert niets, andere regels blijven staan
help-schedule-uninstall = Verwijder precies de regels (of met --systemd de units) die --install voor deze configuratie maakte; al het andere blijft zoals het was
help-schedule-systemd = systemd-gebruikersunits (service en timer) in plaats van cron-regels
help-retry-undo_booking = Verwijder de eigen betaling van deze tool bij een betaling in `changed_after_booking` (na een chargeback of storno), zodat de factuur weer openstaat; nooit een betaling die de tool niet maakte
help-export = Schrijf de betalingen die in een periode geboekt zijn, één rij per betaling, voor de accountant
help-export-from = De eerste boekdatum die meedoet
help-export-to = De laatste boekdatum die meedoet
help-export-format = csv (RFC 4180), csv-nl (voor Nederlandse Excel) of json
help-export-output = Schrijf de rijen naar dit bestand in plaats van naar stdout
help-export-totals = Schrijf ook de geboekte totalen per dag, betaalmethode en valuta naar dit bestand, in hetzelfde formaat
help-connect-ccv-shop = De sleutel van deze `[[ccv.shops]]` (die aan de configuratie wordt toegevoegd als ze er nog niet staat)
help-payouts = Toon de uitbetalingen van CCV: hun bankregel en of die aan de tussenrekeningen gekoppeld is
help-payouts-json = Geef ze als JSON (contract.md, "Payouts"), in het Engels
