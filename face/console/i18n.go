package console

import (
	"strings"
)

// languages are the console's languages: French, Dutch (the two of the Belgian system) and English.
var languages = []string{"fr", "nl", "en"}

func known(l string) bool {
	for _, x := range languages {
		if l == x {
			return true
		}
	}
	return false
}

// fromAcceptLanguage picks the first of the browser's languages the console speaks; English if none.
func fromAcceptLanguage(h string) string {
	for _, part := range strings.Split(h, ",") {
		tag, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		base, _, _ := strings.Cut(strings.ToLower(tag), "-")
		if known(base) {
			return base
		}
	}
	return "en"
}

// translate is key in lang; "" for "" (no error on a field). A missing key shows itself, which
// TestEveryKeyIsTranslated keeps from happening.
func translate(lang, key string) string {
	if key == "" {
		return ""
	}
	if t, ok := catalogue[key]; ok {
		switch lang {
		case "fr":
			return t[0]
		case "nl":
			return t[1]
		}
		return t[2]
	}
	return key
}

// catalogue holds every text of the console: fr, nl, en.
var catalogue = map[string][3]string{
	"brand":      {"console", "console", "console"},
	"skip":       {"Aller au contenu", "Naar de inhoud", "Skip to content"},
	"nav":        {"Navigation", "Navigatie", "Navigation"},
	"today":      {"Date métier", "Bedrijfsdatum", "Business date"},
	"signout":    {"Se déconnecter", "Afmelden", "Sign out"},
	"result":     {"Résultat", "Resultaat", "Result"},
	"nodata":     {"Aucune donnée", "Geen gegevens", "No data"},
	"yes":        {"oui", "ja", "yes"},
	"no":         {"non", "nee", "no"},
	"demo.short": {"démo", "demo", "demo"},
	"demo.banner": {"DÉMO — connexion sans certificat : n'importe qui peut choisir n'importe quelle partie. Jamais en production.",
		"DEMO — aanmelden zonder certificaat: iedereen kan elke partij kiezen. Nooit in productie.",
		"DEMO — sign-in without a certificate: anyone may pick any party. Never in production."},

	"title.signin":  {"Connexion", "Aanmelden", "Sign in"},
	"title.home":    {"Accueil", "Start", "Home"},
	"title.consult": {"WebConsult", "WebConsult", "WebConsult"},
	"title.person":  {"Inspecteur", "Inspector", "Inspector"},
	"title.version": {"Version", "Versie", "Version"},
	"title.diff":    {"Différences", "Verschillen", "Differences"},
	"title.notices": {"Avis", "Berichten", "Notices"},
	"title.admin":   {"Harnais", "Harnas", "Harness"},

	"signin.cert": {"Connectez-vous avec le certificat client de votre organisation, en HTTPS : la console vous reconnaît par le fichier de confiance de la passerelle.",
		"Meld u aan met het clientcertificaat van uw organisatie, via HTTPS: de console herkent u aan het vertrouwensbestand van de gateway.",
		"Sign in with your organisation's client certificate, over HTTPS: the console knows you by the gateway's trust file."},
	"signin.picker": {"Démo : choisir une partie", "Demo: kies een partij", "Demo: pick a party"},
	"signin.picker.warn": {"Mode démo : aucune authentification. Choisissez la partie au nom de laquelle consulter.",
		"Demomodus: geen authenticatie. Kies de partij namens wie u raadpleegt.",
		"Demo mode: no authentication. Pick the party to act as."},
	"signin.needcert": {"Un certificat client est requis.", "Een clientcertificaat is vereist.", "A client certificate is required."},
	"signin.unknown":  {"Partie inconnue.", "Onbekende partij.", "Unknown party."},

	"kind.cpas":     {"CPAS", "OCMW", "CPAS"},
	"kind.provider": {"prestataire", "zorgverlener", "provider"},
	"kind.admin":    {"administrateur", "beheerder", "admin"},

	"nav.consult":   {"WebConsult", "WebConsult", "WebConsult"},
	"nav.inspector": {"Inspecteur", "Inspector", "Inspector"},
	"nav.notices":   {"Avis", "Berichten", "Notices"},
	"nav.admin":     {"Harnais", "Harnas", "Harness"},

	"home.title":     {"Console carmed", "carmed-console", "carmed console"},
	"home.consult":   {"les décisions d'une personne à une date ou sur une période, comme Consult v2", "de beslissingen van een persoon op een datum of over een periode, zoals Consult v2", "a person's decisions on a date or over a period, as Consult v2 shows them"},
	"home.inspector": {"la ligne du temps d'une personne : décisions, versions, couvertures, suspensions", "de tijdlijn van een persoon: beslissingen, versies, dekkingen, schorsingen", "a person's timeline: decisions, versions, covers, suspensions"},
	"home.notices":   {"les avis de mutation, en attente et acquittés", "de mutatieberichten, openstaand en bevestigd", "mutation notices, pending and acknowledged"},
	"home.admin":     {"l'horloge, les mutations, le chargement de personnes", "de klok, mutaties, personen laden", "the clock, mutations, loading persons"},

	"consult.lead": {"Les décisions d'aide médicale d'une personne, comme votre consultation MediPrima Consult v2 les montre.",
		"De beslissingen medische bijstand van een persoon, zoals uw raadpleging MediPrima Consult v2 ze toont.",
		"A person's medical-aid decisions, exactly as your MediPrima Consult v2 consultation shows them."},
	"consult.when":   {"Quand", "Wanneer", "When"},
	"consult.submit": {"Consulter", "Raadplegen", "Consult"},
	"consult.identonly": {"Identification seulement : vous n'êtes pas désigné pour les couvertures de cette décision, ou elle est suspendue.",
		"Enkel identificatie: u bent niet aangewezen voor de dekkingen van deze beslissing, of ze is geschorst.",
		"Identification only: you are not designated for this decision's covers, or it is suspended."},

	"inspector.lead.cpas":  {"Vos décisions pour une personne, entières ; celles d'un autre CPAS, identifiées seulement.", "Uw beslissingen voor een persoon, volledig; die van een ander OCMW, enkel geïdentificeerd.", "Your decisions for a person in full; another CPAS's, identification only."},
	"inspector.lead.admin": {"Tout ce que la passerelle sait d'une personne.", "Alles wat de gateway over een persoon weet.", "Everything the gateway holds on a person."},
	"inspector.submit":     {"Afficher", "Tonen", "Show"},
	"inspector.more":       {"Historique limité à 24 versions : resserrez la période.", "Geschiedenis beperkt tot 24 versies: verklein de periode.", "History cut at 24 versions: narrow the period."},
	"inspector.othercpas":  {"Décision d'un autre CPAS : identification seulement.", "Beslissing van een ander OCMW: enkel identificatie.", "Another CPAS's decision: identification only."},

	"tl.title":      {"Ligne du temps", "Tijdlijn", "Timeline"},
	"tl.today":      {"aujourd'hui", "vandaag", "today"},
	"tl.othercpas":  {"autre CPAS", "ander OCMW", "other CPAS"},
	"tl.written":    {"écrite le", "geschreven op", "written"},
	"tl.suspension": {"suspension", "schorsing", "suspension"},
	"tl.mutation":   {"mutation", "mutatie", "mutation"},
	"tl.legend": {"Barres : validité des décisions (couleur : statut) ; triangles : versions au jour de leur écriture ; bandes fines : couvertures ; cercles : suspensions ; pointillés : mutations du registre ; trait : date métier.",
		"Balken: geldigheid van de beslissingen (kleur: status); driehoeken: versies op hun schrijfdag; smalle banden: dekkingen; cirkels: schorsingen; stippellijnen: registermutaties; lijn: bedrijfsdatum.",
		"Bars: the decisions' validity (colour: status); triangles: versions on the day written; thin bands: covers; circles: suspensions; dashed: registry mutations; line: the business date."},

	"diff.from":     {"De", "Van", "From"},
	"diff.to":       {"à", "tot", "to"},
	"diff.submit":   {"Comparer", "Vergelijken", "Compare"},
	"diff.previous": {"différences avec la précédente", "verschillen met de vorige", "differences from the previous"},
	"diff.changed":  {"modifié", "gewijzigd", "changed"},

	"notices.more":   {"Liste limitée : les plus anciens seulement.", "Lijst beperkt: enkel de oudste.", "List cut: the oldest only."},
	"notice.acked":   {"acquitté", "bevestigd", "acknowledged"},
	"notice.pending": {"en attente", "openstaand", "pending"},

	"admin.title":             {"Harnais de test", "Testharnas", "Test harness"},
	"admin.harnessoff":        {"Le harnais est désactivé (serve sans --harness).", "Het harnas staat uit (serve zonder --harness).", "The harness is off (serve without --harness)."},
	"admin.clock":             {"Horloge métier", "Bedrijfsklok", "Business clock"},
	"admin.clock.set":         {"Fixer la date", "Datum instellen", "Set the date"},
	"admin.clock.advance":     {"ou avancer de (jours)", "of vooruitzetten met (dagen)", "or move by (days)"},
	"admin.clock.submit":      {"Régler l'horloge", "Klok instellen", "Set the clock"},
	"admin.clock.done":        {"Horloge réglée.", "Klok ingesteld.", "Clock set."},
	"admin.mutation":          {"Appliquer une mutation", "Een mutatie toepassen", "Apply a mutation"},
	"admin.mutation.fields":   {"Selon le type", "Volgens het type", "Depending on the kind"},
	"admin.mutation.submit":   {"Appliquer", "Toepassen", "Apply"},
	"admin.mutation.done":     {"Mutation appliquée.", "Mutatie toegepast.", "Mutation applied."},
	"admin.mutation.result":   {"Mutation", "Mutatie", "Mutation"},
	"admin.mutation.none":     {"aucune décision touchée", "geen beslissing geraakt", "no decision affected"},
	"admin.persons":           {"Charger des personnes", "Personen laden", "Load persons"},
	"admin.persons.help":      {"Personnes au format des fixtures ({\"persons\":[…]})", "Personen in het fixtureformaat ({\"persons\":[…]})", "Persons in the fixture format ({\"persons\":[…]})"},
	"admin.persons.submit":    {"Charger", "Laden", "Load"},
	"admin.persons.done":      {"Personnes chargées.", "Personen geladen.", "Persons loaded."},
	"admin.persons.loaded":    {"ajoutées", "toegevoegd", "added"},
	"admin.persons.unchanged": {"inchangées", "ongewijzigd", "unchanged"},

	"err.required":        {"Champ requis.", "Verplicht veld.", "Required."},
	"err.ssin.digits":     {"Un NISS a 11 chiffres.", "Een INSZ heeft 11 cijfers.", "An SSIN has 11 digits."},
	"err.ssin.check":      {"Ce NISS a un mauvais chiffre de contrôle.", "Dit INSZ heeft een fout controlecijfer.", "This SSIN's check digits are wrong."},
	"err.date":            {"Date attendue (AAAA-MM-JJ).", "Datum verwacht (JJJJ-MM-DD).", "A date is expected (YYYY-MM-DD)."},
	"err.period.inverted": {"La fin précède le début.", "Het einde ligt voor het begin.", "The end is before the start."},
	"err.days":            {"Un nombre de jours (-3650 à 3650).", "Een aantal dagen (-3650 tot 3650).", "A number of days (-3650 to 3650)."},
	"err.gender":          {"M ou F.", "M of F.", "M or F."},
	"err.ins":             {"Code INS : 5 chiffres.", "NIS-code: 5 cijfers.", "INS code: 5 digits."},
	"err.persons":         {"Texte refusé :", "Tekst geweigerd:", "Text refused:"},
	"err.forbidden":       {"Cette page n'est pas pour votre type de partie.", "Deze pagina is niet voor uw soort partij.", "This page is not for your kind of party."},
	"err.csrf":            {"Formulaire expiré ou venu d'ailleurs : rechargez la page.", "Formulier verlopen of van elders: herlaad de pagina.", "Form expired or sent from elsewhere: reload the page."},
	"err.server":          {"Erreur du serveur.", "Serverfout.", "Server error."},

	"f.ssin":          {"NISS", "INSZ", "SSIN"},
	"f.refdate":       {"Date de référence", "Referentiedatum", "Reference date"},
	"f.period":        {"Période", "Periode", "Period"},
	"f.start":         {"Début", "Begin", "Start"},
	"f.end":           {"Fin", "Einde", "End"},
	"f.decision":      {"Décision", "Beslissing", "Decision"},
	"f.version":       {"Version", "Versie", "Version"},
	"f.beneficiary":   {"Bénéficiaire", "Begunstigde", "Beneficiary"},
	"f.validity":      {"Validité", "Geldigheid", "Validity"},
	"f.governs":       {"Jours régis", "Geregelde dagen", "Days governed"},
	"f.manager":       {"CPAS gestionnaire", "Beherend OCMW", "Managing CPAS"},
	"f.agreement":     {"Numéro d'accord", "Akkoordnummer", "Agreement number"},
	"f.attestation":   {"Attestation AMU", "DMH-attest", "UMA attestation"},
	"f.covers":        {"Couvertures", "Dekkingen", "Covers"},
	"f.cover":         {"Couverture", "Dekking", "Cover"},
	"f.amiPart":       {"Part AMI", "ZIV-deel", "AMI part"},
	"f.patientPart":   {"Part patient", "Patiëntendeel", "Patient part"},
	"f.supplement":    {"Suppléments", "Supplementen", "Supplements"},
	"f.max":           {"Maxima", "Maxima", "Maxima"},
	"f.providers":     {"Prestataires désignés", "Aangewezen zorgverleners", "Designated providers"},
	"f.statePart":     {"Part de l'État", "Staatsdeel", "State part"},
	"f.refundCode":    {"code de remboursement", "terugbetalingscode", "refund code"},
	"f.amu":           {"aide médicale urgente", "dringende medische hulp", "urgent medical aid"},
	"f.status":        {"Statut", "Status", "Status"},
	"f.cause":         {"Cause", "Oorzaak", "Cause"},
	"f.written":       {"Écrite le", "Geschreven op", "Written"},
	"f.author":        {"Auteur", "Auteur", "Author"},
	"f.decisionDate":  {"Date de décision", "Beslissingsdatum", "Decision date"},
	"f.judicial":      {"Décision judiciaire", "Gerechtelijke beslissing", "Judicial decision"},
	"f.incomeAboveRI": {"Revenus ≥ RI", "Inkomen ≥ LL", "Income ≥ integration income"},
	"f.noState":       {"Sans intervention de l'État", "Zonder staatstussenkomst", "No State intervention"},
	"f.suspension":    {"Suspension", "Schorsing", "Suspension"},
	"f.situations":    {"Situations", "Situaties", "Situations"},
	"f.mutations":     {"Mutations", "Mutaties", "Mutations"},
	"f.kind":          {"Type", "Type", "Kind"},
	"f.effective":     {"Date d'effet", "Ingangsdatum", "Effective date"},
	"f.created":       {"Créé le", "Aangemaakt op", "Created"},
	"f.nextActions":   {"Actions attendues", "Verwachte acties", "Next actions"},
	"f.state":         {"État", "Toestand", "State"},
	"f.lastName":      {"Nom", "Naam", "Last name"},
	"f.firstName":     {"Prénom", "Voornaam", "First name"},
	"f.newSsin":       {"Nouveau NISS", "Nieuw INSZ", "New SSIN"},
	"f.ins":           {"INS de résidence", "NIS van verblijf", "Residence INS"},

	"status.ACTIVE":    {"active", "actief", "active"},
	"status.SUSPENDED": {"suspendue", "geschorst", "suspended"},
	"status.STOPPED":   {"arrêtée", "stopgezet", "stopped"},
	"status.CLOSED":    {"clôturée", "afgesloten", "closed"},

	"cause.CREATE":   {"création", "aanmaak", "creation"},
	"cause.MODIFY":   {"modification", "wijziging", "modification"},
	"cause.ACTIVATE": {"réactivation", "heractivering", "reactivation"},
	"cause.STOP":     {"arrêt", "stopzetting", "stop"},
	"cause.CLOSE":    {"clôture", "afsluiting", "closing"},
	"cause.MUTATION": {"mutation", "mutatie", "mutation"},

	"cover.doctor":                    {"Médecin", "Arts", "Doctor"},
	"cover.hospitalization":           {"Hospitalisation", "Ziekenhuisopname", "Hospitalisation"},
	"cover.ambulatoryHospitalization": {"Soins ambulatoires à l'hôpital", "Ambulante zorg in het ziekenhuis", "Ambulatory hospital care"},
	"cover.medicalTransportation":     {"Transport médical", "Medisch vervoer", "Medical transport"},
	"cover.miscellaneous":             {"Divers", "Diversen", "Miscellaneous"},
	"cover.paramedic":                 {"Paramédical", "Paramedisch", "Paramedic"},
	"cover.pharmaceuticalDrug":        {"Médicaments", "Geneesmiddelen", "Medicines"},
	"cover.prosthesis":                {"Prothèses", "Prothesen", "Prostheses"},

	"share.NOTHING": {"rien", "niets", "nothing"},
	"share.PARTIAL": {"partiel", "gedeeltelijk", "partial"},
	"share.FULL":    {"total", "volledig", "full"},

	"care.hospital":   {"Hospitalisation", "Ziekenhuisopname", "Hospitalisation"},
	"care.ambulatory": {"Ambulatoire", "Ambulant", "Ambulatory"},
	"care.other":      {"Autres", "Andere", "Other"},

	"mut.NAME":       {"nom", "naam", "name"},
	"mut.GENDER":     {"sexe", "geslacht", "gender"},
	"mut.BIRTH_DATE": {"date de naissance", "geboortedatum", "birth date"},
	"mut.SSIN":       {"NISS", "INSZ", "SSIN"},
	"mut.DEATH":      {"décès", "overlijden", "death"},
	"mut.SITUATION":  {"situation", "situatie", "situation"},
}
